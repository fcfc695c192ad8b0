"""The demo office of the seed announcement: สพป.นครสวรรค์ เขต 1, its units, categories and users."""

OFFICE = {
    "code": "nsw1",
    "name_th": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครสวรรค์ เขต 1",
    "name_en": "Nakhon Sawan Primary Educational Service Area Office 1",
    "short_name_th": "สพป.นครสวรรค์ เขต 1",
}

# (code, Thai name, English name, is_integrity, assignment strategy)
UNITS = [
    ("admin", "กลุ่มอำนวยการ", "General Administration Group", False, "round_robin"),
    ("personnel", "กลุ่มบริหารงานบุคคล", "Personnel Administration Group", False, "round_robin"),
    ("policy", "กลุ่มนโยบายและแผน", "Policy and Planning Group", False, "manual"),
    ("promotion", "กลุ่มส่งเสริมการจัดการศึกษา", "Educational Promotion Group", False, "least_loaded"),
    ("supervision", "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
     "Supervision, Monitoring and Evaluation Group", False, "round_robin"),
    ("finance", "กลุ่มบริหารงานการเงินและสินทรัพย์", "Finance and Assets Group", False, "round_robin"),
    ("teacher-dev", "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", "Teacher and Personnel Development Group", False,
     "round_robin"),
    ("ict", "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
     "Distance Education and ICT Group", False, "round_robin"),
    ("legal", "กลุ่มกฎหมายและคดี", "Legal Affairs Group", False, "round_robin"),
    ("audit", "หน่วยตรวจสอบภายใน", "Internal Audit Unit", True, "round_robin"),
]
# Cases no rule claims go to the general administration group (สารบรรณ), which passes them on.
UNROUTED_UNIT = "admin"

# (name, kind, category code or None, channel, keywords, unit), tried in this order.
ROUTING_RULES = [
    ("เงินเดือนและการเบิกจ่าย", "complaint", None, "", "เงินเดือน, ค่าตอบแทน, เบิกจ่าย, บำเหน็จ, บำนาญ", "finance"),
    ("งานบุคคล", "complaint", "personnel", "", "", "personnel"),
    ("พฤติกรรมครู", "complaint", "teacher-conduct", "", "", "personnel"),
    ("การเงินและสวัสดิการ", "complaint", "finance", "", "", "finance"),
    ("การจัดการศึกษา", "complaint", "teaching-quality", "", "", "promotion"),
    ("การบริหารโรงเรียน", "complaint", "school-management", "", "", "promotion"),
    ("รับนักเรียน", "complaint", "admission", "", "", "promotion"),
    ("อาคารสถานที่", "complaint", "buildings-safety", "", "", "policy"),
    ("บริการของสำนักงาน", "complaint", "office-service", "", "", "admin"),
    ("ข้อเสนอด้านคุณภาพการศึกษา", "suggestion", "education-quality", "", "", "promotion"),
    ("ข้อเสนอแนะอื่น ๆ", "suggestion", None, "", "", "policy"),
]

# (name, kind, priority, calendar, acknowledge (value, unit), resolve (value, unit), max pause (value, unit))
SLA_POLICIES = [
    ("ข้อร้องเรียน (ตามพระราชกฤษฎีกาฯ พ.ศ. 2546)", "complaint", "", "business", (1, "business_days"),
     (15, "business_days"), (15, "business_days")),
    ("ข้อร้องเรียนเร่งด่วน", "complaint", "urgent", "business", (4, "business_hours"), (3, "business_days"),
     (5, "business_days")),
    ("เรื่องร้องเรียนการทุจริต", "corruption", "", "business", (1, "business_days"), (30, "business_days"),
     (15, "business_days")),
    ("ข้อเสนอแนะ", "suggestion", "", "business", (3, "business_days"), (15, "business_days"), None),
]

# kind -> [(code, Thai name, English name)]
CATEGORIES = {
    "complaint": [
        ("personnel", "การบริหารงานบุคคล (บรรจุ แต่งตั้ง ย้าย)", "Personnel (appointment, transfer)"),
        ("teacher-conduct", "พฤติกรรมครูและบุคลากรทางการศึกษา", "Conduct of teachers and staff"),
        ("school-management", "การบริหารจัดการโรงเรียน", "School management"),
        ("teaching-quality", "คุณภาพการจัดการเรียนการสอน", "Quality of teaching"),
        ("buildings-safety", "อาคารสถานที่และความปลอดภัยในโรงเรียน", "School buildings and safety"),
        ("finance", "การเงิน การเบิกจ่าย และสวัสดิการ", "Payments, reimbursements and welfare"),
        ("admission", "การรับนักเรียนและการย้ายโรงเรียน", "Admissions and school transfers"),
        ("office-service", "การให้บริการของสำนักงาน", "Service of the office"),
        ("other", "เรื่องอื่น ๆ", "Other"),
    ],
    "corruption": [
        ("procurement", "การจัดซื้อจัดจ้าง", "Procurement"),
        ("abuse-of-power", "การใช้อำนาจหน้าที่โดยมิชอบ", "Abuse of authority"),
        ("bribery", "การเรียกรับสินบนหรือผลประโยชน์", "Bribery or soliciting benefits"),
        ("misuse-of-funds", "การเบิกจ่ายหรือใช้เงินราชการโดยมิชอบ", "Misuse of public funds"),
        ("conflict-of-interest", "ผลประโยชน์ทับซ้อน", "Conflict of interest"),
        ("misconduct", "การประพฤติมิชอบอื่น ๆ", "Other misconduct"),
    ],
    "suggestion": [
        ("education-quality", "การพัฒนาคุณภาพการศึกษา", "Improving education quality"),
        ("office-service", "การให้บริการของสำนักงาน", "Service of the office"),
        ("policy-plan", "นโยบาย แผน และโครงการ", "Policies, plans and projects"),
        ("community", "ความร่วมมือกับชุมชนและภาคีเครือข่าย", "Community and partner networks"),
        ("other", "เรื่องอื่น ๆ", "Other"),
    ],
    "codecision": [
        ("strategy", "แผนพัฒนาการศึกษาและยุทธศาสตร์", "Education development plan and strategy"),
        ("annual-plan", "แผนปฏิบัติราชการประจำปี", "Annual action plan"),
        ("project", "โครงการและกิจกรรม", "Projects and activities"),
    ],
}

# username -> (first name, last name, office-wide roles, [(unit code, is_head)])
USERS = {
    "admin": ("ผู้ดูแล", "ระบบ", ["admin"], []),
    "clerk1": ("สมศรี", "รับเรื่อง", ["clerk"], [("admin", False)]),
    "officer1": ("สมชาย", "ใจดี", [], [("personnel", False)]),
    "officer2": ("สมหญิง", "ตั้งใจ", [], [("promotion", False)]),
    "supervisor1": ("ประเสริฐ", "นำทาง", [], [("personnel", True), ("promotion", True)]),
    "director": ("วิชัย", "ผู้อำนวยการ", ["director"], []),
    "integrity1": ("สุจริต", "ตรวจสอบ", [], [("audit", True)]),
    "auditor1": ("ตรวจ", "บัญชี", ["auditor"], []),
    "committee1": ("ผู้แทน", "ผู้ปกครอง", ["committee"], []),
}

# (code, Thai name, English name, kind)
STAKEHOLDER_GROUPS = [
    ("school-boards", "คณะกรรมการสถานศึกษาขั้นพื้นฐาน", "School boards", "school_board"),
    ("parents", "เครือข่ายผู้ปกครอง", "Parent network", "parents"),
    ("community", "ชุมชนและองค์กรปกครองส่วนท้องถิ่น", "Community and local government", "community"),
    ("private-sector", "ภาคเอกชนและภาคีเครือข่าย", "Private-sector partners", "private_sector"),
    ("teachers", "ครูและบุคลากรทางการศึกษา", "Teachers and education personnel", "teachers"),
]

# The committee that decides co-decision items with the office, under its appointing order.
COMMITTEE = {
    "code": "participation",
    "name_th": "คณะกรรมการส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย",
    "name_en": "Stakeholder Participation Committee",
    "purpose": "ร่วมพิจารณาและตัดสินใจประเด็นการมีส่วนร่วมของสำนักงาน ตามประกาศมาตรการส่งเสริมการมีส่วนร่วม",
    "order_number": "123/2569",
    "order_date": "2025-10-15",
}
# (name, position, group code or None, username or None)
COMMITTEE_MEMBERS = [
    ("นายวิชัย ผู้อำนวยการ", "chair", None, "director"),
    ("นายประเสริฐ นำทาง", "secretary", None, "supervisor1"),
    ("นายผู้แทน ผู้ปกครอง", "representative", "parents", "committee1"),
    ("นายสมบัติ ชุมชนดี", "representative", "community", None),
    ("นางสาวมาลี ค้าขาย", "representative", "private-sector", None),
]
