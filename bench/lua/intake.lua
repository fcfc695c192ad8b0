-- POST /api/v1/public/cases/: a realistic Thai complaint, a different title each time.
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"kind":"complaint","category":"teacher-conduct","title":"ครูไม่เข้าสอน %d-%d",' ..
    '"description":"ครูประจำชั้น ป.4 โรงเรียนบ้านหนองปลิงไม่เข้าสอนบ่อยครั้ง นักเรียนไม่ได้เรียนตามหลักสูตร",' ..
    '"contact":{"name":"ผู้ปกครอง","email":"parent@example.com"},"consent":true}', id, n)
  return wrk.format("POST", "/api/v1/public/cases/", {["Content-Type"] = "application/json"}, body)
end
