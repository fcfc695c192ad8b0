"""Bulk-seed a bench database with N cases (1,000,000 by default) in a few minutes.

Usage: .venv/bin/python bench/seed_bulk.py [--cases 1000000] [--database rabfang_bench_scale]

The database is re-created, migrated and given the demo office (``seed_demo``) plus a realistic staff
(officers in every unit). Then N cases spread over two fiscal years are generated in Python and
streamed into PostgreSQL with COPY, together with their SLA clocks (and open pauses) and each case's
genesis audit event:

- every case lives a simulated life (routing, screening, answer, closing, sometimes an information
  request, a rejection, a merge, a referral, a stall); its status is where that life stands *now*,
  so old cases are mostly closed and recent ones are open, as in a real office;
- clocks, the case's SLA columns (``sla_next_action_at``, ``sla_due_at``, ``sla_warn_at``,
  ``resolve_due_at``), ``steps_applied`` and the escalation level follow the project's SLA rules
  as of now: no ladder step is left due, so an SLA sweep tick right after seeding finds nothing;
- titles and descriptions are Thai, built from per-category phrases, schools, districts and
  details, so that ``q=`` searches match realistic fractions of the cases;
- the genesis event's hash is computed with ``core.audit.event_hash`` and the case's chain head
  points at it, so ``chain_verify`` passes.

Secondary indexes and foreign keys of the three big tables are dropped before the load and rebuilt
after it (faster than maintaining them row by row); re-adding the foreign keys makes PostgreSQL
validate every row, and CHECK / NOT NULL / unique constraints are enforced during COPY itself.
At the end a sample of cases is checked with the project's own code (``chain_verify`` and
``sla_compute``). Prints one JSON line with the timings.
"""

import argparse
import bisect
import hashlib
import json
import os
import random
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
DEFAULT_DB = "rabfang_bench_scale"
BIG_TABLES = ("core_case", "core_caseevent", "core_slaclock", "core_slapause")
OFFICERS_PER_UNIT = 6
RNG_SEED = 20261124

# ---------------------------------------------------------------------------------------------
# Thai text material
# ---------------------------------------------------------------------------------------------
# A million cases in two years is ministry scale: thousands of schools. Village names are built from
# common Thai place-name parts (หนอง + ปลิง = หนองปลิง), so a school's name matches ~0.1-0.3% of cases.
VILLAGE_HEADS = ["หนอง", "บ้าน", "ดอน", "โคก", "วัง", "ท่า", "บาง", "คลอง", "ห้วย", "เขา", "นา", "สระ", "บึง", "ทุ่ง",
                 "ไร่", "หัว", "ปาก", "ลาด", "เนิน", "ศาลา"]
VILLAGE_TAILS = ["ปลิง", "บัว", "กระทุ่ม", "ม่วง", "ยาง", "ตาล", "โพธิ์", "ไผ่", "จิก", "แค", "สะแก", "มะขาม", "ขาม",
                 "ขี้เหล็ก", "งิ้ว", "ตะเคียน", "ทอง", "เงิน", "คา", "กรด", "เต่า", "โพ", "หวาย", "กุ่ม", "มะกอก", "ลาน",
                 "ตะโก", "สมอ", "พลับ", "ยอ"]
VILLAGES = [head + tail for head in VILLAGE_HEADS for tail in VILLAGE_TAILS]
SCHOOL_KINDS = ["โรงเรียนบ้าน", "โรงเรียนวัด", "โรงเรียนชุมชน", "โรงเรียนอนุบาล"]
DISTRICTS = ["เมืองนครสวรรค์", "โกรกพระ", "ชุมแสง", "หนองบัว", "บรรพตพิสัย", "เก้าเลี้ยว", "ตาคลี", "ท่าตะโก",
             "ไพศาลี", "พยุหะคีรี", "ลาดยาว", "ตากฟ้า", "แม่วงก์", "แม่เปิน", "ชุมตาบง"]
GRADES = ["อนุบาล 2", "อนุบาล 3", "ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6", "ม.1", "ม.2", "ม.3"]
REQUESTERS = ["ผู้ปกครองนักเรียน", "ครูในโรงเรียน", "ประชาชนในพื้นที่", "ผู้นำชุมชน", "นักเรียน", "ลูกจ้างชั่วคราว",
              "ข้าราชการบำนาญ", "กรรมการสถานศึกษา"]
PHRASES = {
    "personnel": (["ขอให้ตรวจสอบการย้ายครู", "การบรรจุแต่งตั้งไม่เป็นธรรม", "คำสั่งย้ายล่าช้า", "ขอทราบผลการพิจารณาย้าย"],
                  ["ยื่นคำร้องขอย้ายกลับภูมิลำเนาตั้งแต่ปีที่แล้วยังไม่ได้รับแจ้งผล",
                   "การประเมินเพื่อแต่งตั้งมีการให้คะแนนไม่โปร่งใส", "ครูอัตราจ้างไม่ได้รับการต่อสัญญาโดยไม่มีเหตุผล",
                   "ขอให้ชี้แจงหลักเกณฑ์การเลื่อนวิทยฐานะ"]),
    "teacher-conduct": (["ครูไม่เข้าสอน", "ครูใช้ถ้อยคำไม่เหมาะสมกับนักเรียน", "ครูลงโทษนักเรียนเกินกว่าเหตุ",
                         "ครูดื่มสุราในเวลาราชการ"],
                        ["ครูประจำชั้นไม่เข้าสอนบ่อยครั้ง นักเรียนไม่ได้เรียนตามหลักสูตร",
                         "ครูตีนักเรียนจนได้รับบาดเจ็บ ผู้ปกครองขอให้ดำเนินการตามระเบียบ",
                         "ครูพูดจาดูหมิ่นนักเรียนต่อหน้าเพื่อนร่วมชั้น", "ครูมาสายและออกก่อนเวลาเป็นประจำ"]),
    "school-management": (["ผู้บริหารโรงเรียนไม่ชี้แจงการใช้เงิน", "โรงเรียนเรียกเก็บเงินเพิ่ม", "การจัดสรรงบประมาณไม่โปร่งใส",
                           "อาหารกลางวันไม่ครบถ้วน"],
                          ["โรงเรียนเรียกเก็บค่าบำรุงการศึกษาโดยไม่มีการประชุมผู้ปกครอง",
                           "อาหารกลางวันมีปริมาณน้อยและไม่มีคุณค่าทางโภชนาการ", "นมโรงเรียนแจกไม่ครบตามจำนวนวัน",
                           "ผู้อำนวยการไม่อยู่ปฏิบัติราชการบ่อยครั้ง"]),
    "teaching-quality": (["คุณภาพการสอนภาษาอังกฤษต่ำ", "ขาดครูวิทยาศาสตร์", "นักเรียนอ่านไม่ออกเขียนไม่ได้",
                          "ไม่มีการสอนซ่อมเสริม"],
                         ["นักเรียนชั้นประถมปลายยังอ่านหนังสือไม่คล่อง ขอให้เขตพื้นที่ช่วยเหลือ",
                          "โรงเรียนไม่มีครูตรงวิชาเอกคณิตศาสตร์ ครูต้องสอนหลายวิชา",
                          "การบ้านมากเกินไปจนนักเรียนไม่มีเวลาพักผ่อน", "ไม่มีสื่อการเรียนการสอนที่ทันสมัย"]),
    "buildings-safety": (["อาคารเรียนชำรุด", "หลังคารั่ว", "ห้องน้ำไม่ถูกสุขลักษณะ", "รั้วโรงเรียนพัง"],
                         ["หลังคาอาคารเรียนรั่วเวลาฝนตก นักเรียนต้องย้ายไปเรียนที่โรงอาหาร",
                          "สายไฟในห้องเรียนชำรุด เกรงว่าจะเป็นอันตรายต่อนักเรียน",
                          "ห้องน้ำนักเรียนไม่มีน้ำใช้และส่งกลิ่นเหม็น", "สนามเด็กเล่นมีเครื่องเล่นผุพัง"]),
    "finance": (["เงินเดือนออกล่าช้า", "ค่าตอบแทนไม่ได้รับ", "การเบิกจ่ายค่ารักษาพยาบาลล่าช้า", "บำเหน็จบำนาญล่าช้า"],
                ["ยื่นเบิกค่ารักษาพยาบาลมาสามเดือนแล้วยังไม่ได้รับเงิน",
                 "ค่าตอบแทนครูอัตราจ้างค้างจ่ายสองเดือน", "เงินเดือนเดือนนี้ถูกหักโดยไม่ทราบสาเหตุ",
                 "ขอทราบความคืบหน้าการเบิกเงินบำเหน็จตกทอด"]),
    "admission": (["ไม่รับนักเรียนเข้าเรียน", "เรียกเก็บเงินแป๊ะเจี๊ยะ", "การย้ายโรงเรียนล่าช้า", "เกณฑ์รับนักเรียนไม่ชัดเจน"],
                  ["โรงเรียนปฏิเสธรับนักเรียนในเขตบริการโดยอ้างว่าที่นั่งเต็ม",
                   "มีการเรียกรับเงินเพื่อแลกกับที่เรียน", "ขอย้ายนักเรียนแต่โรงเรียนไม่ออกเอกสารให้",
                   "ประกาศผลการคัดเลือกไม่ตรงกับคะแนนสอบ"]),
    "office-service": (["เจ้าหน้าที่บริการไม่สุภาพ", "ติดต่อสำนักงานไม่ได้", "ขั้นตอนการขอเอกสารยุ่งยาก",
                        "รอรับบริการนาน"],
                       ["โทรศัพท์ติดต่อสำนักงานเขตหลายครั้งไม่มีผู้รับสาย",
                        "เจ้าหน้าที่พูดจาไม่สุภาพเมื่อไปติดต่อขอหนังสือรับรอง",
                        "การขอสำเนาเอกสารต้องมาติดต่อหลายครั้ง", "ไม่มีป้ายบอกขั้นตอนการให้บริการ"]),
    "other": (["ขอความช่วยเหลือ", "ปัญหาการเดินทางมาโรงเรียน", "เสียงดังรบกวนจากโรงเรียน", "ขอข้อมูลข่าวสาร"],
              ["รถรับส่งนักเรียนบรรทุกเกินจำนวนที่นั่ง", "ขอให้ติดตั้งไฟส่องสว่างหน้าโรงเรียน",
               "โรงเรียนเปิดเครื่องขยายเสียงดังในช่วงเช้ามืด", "ขอข้อมูลการจัดสรรทุนการศึกษา"]),
    "procurement": (["การจัดซื้อจัดจ้างไม่โปร่งใส", "ฮั้วประมูลก่อสร้าง", "จัดซื้อวัสดุราคาสูงเกินจริง", "ล็อกสเปก"],
                    ["การก่อสร้างอาคารเรียนมีผู้เสนอราคารายเดียวและราคาสูงกว่าท้องตลาด",
                     "จัดซื้อครุภัณฑ์คอมพิวเตอร์ราคาสูงเกินจริง", "ผู้รับจ้างเป็นญาติของผู้บริหาร",
                     "กำหนดคุณลักษณะเฉพาะเพื่อให้ผู้ขายรายเดียวได้งาน"]),
    "abuse-of-power": (["ใช้อำนาจโดยมิชอบ", "กลั่นแกล้งผู้ใต้บังคับบัญชา", "สั่งการนอกเหนืออำนาจหน้าที่", "ข่มขู่ครู"],
                       ["ผู้บริหารสั่งย้ายครูที่ร้องเรียนเพื่อเป็นการกลั่นแกล้ง",
                        "ใช้รถราชการไปธุระส่วนตัวเป็นประจำ", "บังคับให้ครูซื้อสินค้าของผู้บริหาร",
                        "ข่มขู่ไม่ให้ครูให้ข้อมูลแก่ผู้ตรวจสอบ"]),
    "bribery": (["เรียกรับเงิน", "รับสินบนแลกตำแหน่ง", "เรียกรับผลประโยชน์", "ขายตำแหน่ง"],
                ["มีการเรียกรับเงินเพื่อแลกกับการย้ายไปโรงเรียนในเมือง",
                 "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งรัดการเบิกจ่าย", "มีการเรียกรับเงินในการสอบคัดเลือก",
                 "เรียกรับของขวัญจากผู้รับจ้าง"]),
    "misuse-of-funds": (["ยักยอกเงินอาหารกลางวัน", "เบิกจ่ายเงินเป็นเท็จ", "ใช้เงินผิดวัตถุประสงค์", "เงินอุดหนุนหาย"],
                        ["เงินอุดหนุนรายหัวนักเรียนถูกนำไปใช้ผิดวัตถุประสงค์",
                         "มีการเบิกค่าเดินทางไปราชการโดยไม่ได้เดินทางจริง", "เงินอาหารกลางวันถูกหักไว้บางส่วน",
                         "มีการเบิกค่าวัสดุโดยไม่มีการจัดซื้อจริง"]),
    "conflict-of-interest": (["ผลประโยชน์ทับซ้อน", "จ้างบริษัทของญาติ", "ใช้ตำแหน่งหาประโยชน์", "รับงานพิเศษจากผู้รับจ้าง"],
                             ["ผู้อำนวยการว่าจ้างร้านค้าของคู่สมรสส่งอาหารกลางวัน",
                              "กรรมการตรวจรับเป็นหุ้นส่วนของผู้รับจ้าง", "เจ้าหน้าที่พัสดุเป็นเจ้าของร้านวัสดุก่อสร้าง",
                              "ใช้ข้อมูลภายในเพื่อประโยชน์ทางธุรกิจ"]),
    "misconduct": (["ประพฤติมิชอบ", "ปลอมแปลงเอกสาร", "ละทิ้งหน้าที่", "ทุจริตการสอบ"],
                   ["มีการปลอมลายมือชื่อในเอกสารการเบิกจ่าย", "ข้าราชการละทิ้งหน้าที่ราชการเกินสิบห้าวัน",
                    "มีการเปิดเผยข้อสอบก่อนวันสอบ", "แก้ไขผลการเรียนของนักเรียนโดยมิชอบ"]),
    "education-quality": (["เสนอให้เพิ่มชั่วโมงภาษาอังกฤษ", "เสนอโครงการอ่านออกเขียนได้", "เสนอให้มีครูแนะแนว",
                           "เสนอกิจกรรมหลังเลิกเรียน"],
                          ["อยากให้เขตพื้นที่จัดอบรมครูด้านการสอนเขียนโปรแกรม",
                           "ขอเสนอให้มีห้องสมุดเคลื่อนที่ไปยังโรงเรียนขนาดเล็ก",
                           "เสนอให้จัดกิจกรรมค่ายวิชาการช่วงปิดภาคเรียน", "เสนอให้ใช้ภาษาถิ่นช่วยสอนอ่านในชั้นต้น"]),
    "policy-plan": (["ข้อเสนอต่อแผนพัฒนาการศึกษา", "เสนอควบรวมโรงเรียนขนาดเล็ก", "เสนอโครงการโรงเรียนปลอดภัย",
                     "ความเห็นต่อแผนปฏิบัติราชการ"],
                    ["ไม่เห็นด้วยกับการควบรวมโรงเรียนเพราะนักเรียนต้องเดินทางไกล",
                     "ขอให้แผนปีหน้าให้ความสำคัญกับโรงเรียนในพื้นที่ห่างไกล", "เสนอให้เพิ่มงบซ่อมแซมอาคารเรียนเก่า",
                     "ขอให้เปิดรับฟังความเห็นผู้ปกครองก่อนจัดทำแผน"]),
    "community": (["เสนอความร่วมมือกับชุมชน", "เสนอให้ใช้ภูมิปัญญาท้องถิ่น", "เสนอจัดงานวันเด็กร่วมกัน",
                   "เสนอให้ผู้ปกครองมีส่วนร่วม"],
                  ["ชุมชนพร้อมสนับสนุนวิทยากรภูมิปัญญาท้องถิ่นสอนนักเรียน",
                   "อยากให้โรงเรียนเปิดพื้นที่ให้ชุมชนใช้ออกกำลังกายตอนเย็น",
                   "เสนอให้ตั้งเครือข่ายผู้ปกครองเฝ้าระวังยาเสพติด", "วัดในชุมชนพร้อมให้ใช้ศาลาเป็นที่เรียนเสริม"]),
}
PHRASES["suggestion/office-service"] = (["เสนอปรับปรุงการให้บริการ", "เสนอให้มีบริการออนไลน์", "ชมเชยเจ้าหน้าที่",
                                         "เสนอขยายเวลาให้บริการ"],
                                        ["อยากให้ยื่นคำร้องขอเอกสารผ่านระบบออนไลน์ได้",
                                         "ขอชมเชยเจ้าหน้าที่ที่ให้บริการด้วยความเต็มใจ",
                                         "เสนอให้เปิดบริการช่วงพักกลางวัน", "อยากให้มีช่องทางติดตามเรื่องทางไลน์"])
PHRASES["suggestion/other"] = PHRASES["other"]
CLOSINGS = ["จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ", "ขอให้ตรวจสอบและแจ้งผลให้ทราบด้วย", "หวังว่าจะได้รับการแก้ไขโดยเร็ว",
            "ขอความกรุณาเร่งรัดดำเนินการ", "ขอบคุณครับ", "ขอบคุณค่ะ"]
REPLIES = ["สำนักงานได้ตรวจสอบข้อเท็จจริงแล้ว และได้สั่งการให้โรงเรียนแก้ไขปัญหาดังกล่าวเรียบร้อยแล้ว",
           "ได้มอบหมายให้ศึกษานิเทศก์ลงพื้นที่ติดตามและกำกับการดำเนินการของโรงเรียน",
           "ได้แจ้งผู้บริหารสถานศึกษาให้ชี้แจงและปรับปรุงการปฏิบัติงานแล้ว",
           "ผลการตรวจสอบไม่พบมูลความผิดตามที่ร้องเรียน หากมีข้อมูลเพิ่มเติมสามารถแจ้งได้",
           "ได้ดำเนินการเบิกจ่ายให้เรียบร้อยแล้ว ขออภัยในความล่าช้า",
           "ได้บรรจุเรื่องนี้ไว้ในแผนปฏิบัติราชการปีงบประมาณถัดไป ขอบคุณสำหรับข้อเสนอแนะ"]

# ---------------------------------------------------------------------------------------------
# Shape of the office's work
# ---------------------------------------------------------------------------------------------
KIND_WEIGHTS = [("complaint", 82), ("suggestion", 15), ("corruption", 3)]
COMPLAINT_CATEGORIES = [("teacher-conduct", 18), ("school-management", 16), ("finance", 12), ("personnel", 12),
                        ("teaching-quality", 10), ("buildings-safety", 10), ("admission", 8), ("office-service", 8),
                        ("other", 6)]
SUGGESTION_CATEGORIES = [("education-quality", 40), ("office-service", 20), ("policy-plan", 15), ("community", 15),
                         ("other", 10)]
CORRUPTION_CATEGORIES = [("procurement", 25), ("abuse-of-power", 20), ("bribery", 15), ("misuse-of-funds", 20),
                         ("conflict-of-interest", 10), ("misconduct", 10)]
# Complaints by category; the routing rules of the demo office, with some spread over other units.
COMPLAINT_UNITS = {
    "personnel": [("personnel", 85), ("teacher-dev", 15)],
    "teacher-conduct": [("personnel", 80), ("legal", 20)],
    "finance": [("finance", 100)],
    "teaching-quality": [("promotion", 60), ("supervision", 30), ("teacher-dev", 10)],
    "school-management": [("promotion", 70), ("supervision", 30)],
    "admission": [("promotion", 100)],
    "buildings-safety": [("policy", 100)],
    "office-service": [("admin", 80), ("ict", 20)],
    "other": [("admin", 100)],
}
SUGGESTION_UNITS = {"education-quality": [("promotion", 100)]}
PRIORITIES = [("normal", 80), ("high", 10), ("low", 6), ("urgent", 4)]
CHANNELS = [("web", 52), ("line", 12), ("phone", 11), ("letter", 8), ("walk_in", 5), ("email", 5), ("facebook", 3),
            ("center_1111", 2), ("damrongdham", 2)]
STAFF_CHANNELS = {"phone", "letter", "walk_in", "center_1111", "damrongdham"}
YEARS = 2


def weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    cumulative, total = [], 0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return values, cumulative


def pick(rng: random.Random, table) -> str:
    values, cumulative = table
    return values[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


# ---------------------------------------------------------------------------------------------
# Fast business-time arithmetic, checked against core.calendar on a sample before it is used
# ---------------------------------------------------------------------------------------------
class FastBusinessCalendar:
    """``add`` of core.calendar.BusinessCalendar by bisection over precomputed office days."""

    def __init__(self, business, first: date, last: date):
        from core.calendar import BANGKOK, BUSINESS_DAY_SECONDS, DAY_START

        self.opens, self.ends, self.starts = [], [], []  # per business day: open (epoch), cum end, cum start
        cumulative, day = 0.0, first
        while day <= last:
            if business.is_business_day(day):
                opens = datetime.combine(day, DAY_START, BANGKOK).timestamp()
                self.opens.append(opens)
                self.starts.append(cumulative)
                cumulative += BUSINESS_DAY_SECONDS
                self.ends.append(cumulative)
            day += timedelta(days=1)
        self.day_seconds = BUSINESS_DAY_SECONDS

    def position(self, moment: float) -> float:
        """Business seconds from the first day to ``moment``."""
        index = bisect.bisect_right(self.opens, moment) - 1
        if index < 0:
            return 0.0
        return self.starts[index] + min(max(moment - self.opens[index], 0.0), self.day_seconds)

    def add(self, start: float, seconds: float) -> float:
        target = self.position(start) + seconds
        index = bisect.bisect_left(self.ends, target)
        within = target - self.starts[index]
        if within <= 0:  # start outside office hours and nothing to add: the next opening
            return self.opens[index]
        return self.opens[index] + within


def check_calendar(fast: FastBusinessCalendar, business, rng: random.Random, low: float, high: float) -> None:
    for _ in range(3000):
        start = rng.uniform(low, high)
        seconds = rng.choice([3600 * 4, 28800, 28800 * 3, 28800 * 15, 28800 * 30]) * rng.choice([0.75, 1, 1.5, 2])
        expected = business.add(datetime.fromtimestamp(start, UTC), seconds).timestamp()
        got = fast.add(start, seconds)
        assert abs(expected - got) < 0.001, (start, seconds, expected, got)


# ---------------------------------------------------------------------------------------------
# COPY text format
# ---------------------------------------------------------------------------------------------
def text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ts(epoch: float | None) -> str:
    if epoch is None:
        return "\\N"
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def nullable(value) -> str:
    return "\\N" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------
CASE_COLUMNS = (
    "id", "tracking_number", "kind", "status", "escalation_level", "channel", "priority", "sealed", "title",
    "description", "contact_encrypted", "anonymous", "language", "access_key_hash", "submitted_at", "updated_at",
    "resolve_due_at", "acknowledged_at", "responded_at", "closed_at", "satisfaction_score", "satisfaction_comment",
    "feedback_at", "assignee_id", "recorded_by_id", "category_id", "unit_id", "event_head_hash", "event_head_seq",
    "routed_at", "sla_due_at", "sla_next_action_at", "sla_warn_at", "search_document", "duplicate_of_id",
)
EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "actor_kind", "type", "from_status", "to_status", "data",
                 "visibility", "prev_hash", "hash")
CLOCK_COLUMNS = ("id", "case_id", "kind", "policy_id", "calendar", "budget_seconds", "ladder", "max_pause_seconds",
                 "started_at", "paused_since", "met_at", "used_seconds", "due_at", "steps_applied")
PAUSE_COLUMNS = ("clock_id", "started_at", "ended_at", "reason")

# Status names of each kind's life: routed -> screened -> answered -> closed (and the side roads).
LIFE = {
    "complaint": {"screened": "in_progress", "answered": "responded", "paused": "awaiting_info"},
    "corruption": {"screened": "fact_finding", "answered": "concluded", "paused": "awaiting_info"},
    "suggestion": {"screened": "under_consideration", "answered": None, "paused": None},
}
SUGGESTION_ANSWERS = [("noted", 55), ("adopted", 30), ("declined", 15)]


class Office:
    """Ids of the demo office's units, categories, policies and staff in the bench database."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from core.models import Category, Membership, SlaPolicy, Unit
        from core.sla import policy_budget, policy_max_pause

        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.manual_units = set(Unit.objects.filter(strategy="manual").values_list("pk", flat=True))
        self.integrity_unit = Unit.objects.get(is_integrity=True).pk
        self.categories = {(kind, code): pk for kind, code, pk in Category.objects.values_list("kind", "code", "pk")}
        self.officers: dict[int, list[int]] = {}
        for unit_id, user_id in Membership.objects.filter(is_head=False).values_list("unit_id", "user_id"):
            self.officers.setdefault(unit_id, []).append(user_id)
        self.clerk = get_user_model().objects.get(username="clerk1").pk
        self.policies = {}
        for policy in SlaPolicy.objects.filter(active=True, category__isnull=True):
            self.policies[(policy.kind, policy.priority)] = SimpleNamespace(
                pk=policy.pk, calendar=policy.calendar, ladder=sorted(policy.ladder, key=lambda s: s["percent"]),
                acknowledge=policy_budget(policy, "acknowledge"), resolve=policy_budget(policy, "resolve"),
                max_pause=policy_max_pause(policy), ladder_json=json.dumps(sorted(policy.ladder, key=lambda s: s["percent"])))

    def policy(self, kind: str, priority: str):
        return self.policies.get((kind, priority)) or self.policies[(kind, "")]


def staff_users_add(per_unit: int) -> None:
    """Officers in every unit (the demo office has two); the demo users keep their places."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from core.models import Membership, Unit

    users = get_user_model()
    password = make_password("rabfang-demo")
    for unit in Unit.objects.all():
        for n in range(1, per_unit + 1):
            user = users.objects.create(username=f"{unit.code}-officer{n}", first_name="เจ้าหน้าที่",
                                        last_name=f"{unit.code} {n}", is_staff=False, password=password)
            Membership.objects.create(user=user, unit=unit, is_head=False)


class Generator:
    def __init__(self, office: Office, fast: FastBusinessCalendar, now: float, rng: random.Random):
        from core.audit import GENESIS_HASH, event_hash

        self.office, self.fast, self.now, self.rng = office, fast, now, rng
        self.genesis, self.event_hash = GENESIS_HASH, event_hash
        self.kinds = weighted(KIND_WEIGHTS)
        self.categories = {"complaint": weighted(COMPLAINT_CATEGORIES), "suggestion": weighted(SUGGESTION_CATEGORIES),
                           "corruption": weighted(CORRUPTION_CATEGORIES)}
        self.complaint_units = {code: weighted(pairs) for code, pairs in COMPLAINT_UNITS.items()}
        self.priorities, self.channels = weighted(PRIORITIES), weighted(CHANNELS)
        self.suggestion_answers = weighted(SUGGESTION_ANSWERS)
        self.schools = [kind + village for kind in SCHOOL_KINDS for village in VILLAGES]
        self.contacts = self._contacts(500)
        self.round_robin: dict[int, int] = {}
        self.tracking_seen: set[str] = set()
        self.stats = {"open": 0, "paused": 0, "overdue": 0, "escalated": 0, "with_next_action": 0}

    def _contacts(self, count: int) -> list[str]:
        from core.crypto import encrypt_json

        first = ["สมชาย", "สมหญิง", "วิภา", "ประยุทธ", "อรุณี", "กิตติ", "มาลี", "สุนทร", "จันทร์เพ็ญ", "ธนากร"]
        last = ["ใจดี", "รักเรียน", "มั่นคง", "ศรีสุข", "บุญมา", "ทองดี", "แสงทอง", "พรหมมา"]
        return [encrypt_json({"name": f"{self.rng.choice(first)} {self.rng.choice(last)}",
                              "phone": f"08{self.rng.randrange(10**7, 10**8)}"}) for _ in range(count)]

    def tracking(self, kind: str) -> str:
        from core.tracking import ALPHABET, PREFIXES, format_tracking, luhn_mod32_check

        while True:
            bits = self.rng.getrandbits(55)
            body = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(11))
            payload = PREFIXES[kind] + body
            number = format_tracking(payload + luhn_mod32_check(payload))
            if number not in self.tracking_seen:
                self.tracking_seen.add(number)
                return number

    def texts(self, kind: str, category: str) -> tuple[str, str]:
        rng = self.rng
        titles, details = PHRASES.get(f"{kind}/{category}") or PHRASES[category]
        school = rng.choice(self.schools)
        title = f"{rng.choice(titles)} {school}"
        parts = [f"เรียนผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา ข้าพเจ้าเป็น{rng.choice(REQUESTERS)}",
                 f"{school} อำเภอ{rng.choice(DISTRICTS)}",
                 rng.choice(details)]
        if rng.random() < 0.6:
            parts.append(f"เกิดขึ้นกับนักเรียนชั้น {rng.choice(GRADES)} จำนวน {rng.randrange(2, 40)} คน")
        if rng.random() < 0.5:
            parts.append(rng.choice(details))
        parts.append(rng.choice(CLOSINGS))
        return title, " ".join(parts)

    def lifetimes(self, kind: str, start: float) -> dict:
        """When each step of the case's life happens (epoch seconds); None for steps it never takes."""
        rng, hour, day = self.rng, 3600.0, 86400.0
        life = {"routed": start + rng.uniform(1, 30), "screened": None, "paused": None, "resumed": None,
                "answered": None, "closed": None, "side": None}
        screened = life["routed"] + rng.expovariate(1 / (10 * hour))
        life["screened"] = screened
        roll = rng.random()
        if kind == "complaint" and roll < 0.04:
            life["side"] = "rejected"
        elif kind == "complaint" and roll < 0.05:
            life["side"] = "merged"
        elif kind == "complaint" and roll < 0.08:
            life["side"] = "referred"
        if rng.random() < 0.003:  # a stalled case: screened, then nothing for a long time
            life["stalled"] = True
            return life
        work = rng.lognormvariate(2.0, 0.7) * day  # median ~7 days to an answer, a long tail past the target
        if kind == "corruption":
            work *= 2.5
        if life["side"] is None and rng.random() < 0.08:
            life["paused"] = screened + rng.uniform(0.2, 0.6) * work
            life["resumed"] = life["paused"] + rng.uniform(1, 12) * day
            work += life["resumed"] - life["paused"]
        life["answered"] = screened + work
        life["closed"] = life["answered"] + rng.uniform(7, 30) * day
        return life

    def clock_times(self, calendar, start: float, budget: float, ladder: list[dict]) -> list[float]:
        if calendar == "business":
            return [self.fast.add(start, budget * step["percent"] / 100) for step in ladder]
        return [start + budget * step["percent"] / 100 for step in ladder]

    def case(self, case_id: int):
        rng, office, now = self.rng, self.office, self.now
        kind = pick(rng, self.kinds)
        category = pick(rng, self.categories[kind])
        priority = pick(rng, self.priorities) if kind != "corruption" else "normal"
        channel = pick(rng, self.channels) if kind != "corruption" else "web"
        # Two fiscal years, slowly growing: more recent cases than old ones.
        age = (1 - rng.random() ** 0.85) * YEARS * 365 * 86400
        start = now - age
        if kind == "corruption":
            unit_id = office.integrity_unit
        elif kind == "complaint":
            unit_id = office.units[pick(rng, self.complaint_units[category])]
        else:
            unit_code = pick(rng, weighted(SUGGESTION_UNITS[category])) if category in SUGGESTION_UNITS else "policy"
            unit_id = office.units[unit_code]
        life = self.lifetimes(kind, start)
        names = LIFE[kind]

        status, acknowledged, responded, closed, updated = "assigned", None, None, None, life["routed"]
        paused_since = None
        if life["screened"] <= now:
            acknowledged = life["screened"]
            status, updated = names["screened"], acknowledged
            if life["side"] in ("rejected", "merged"):
                status = life["side"]
                closed_at = acknowledged + rng.uniform(7, 30) * 86400
                if closed_at <= now:
                    status, closed, updated = "closed", closed_at, closed_at
            elif life["side"] == "referred" and acknowledged + 3 * 86400 <= now:
                responded, status, updated = acknowledged + 3 * 86400, "referred", acknowledged + 3 * 86400
                if responded + 14 * 86400 <= now:
                    status, closed, updated = "closed", responded + 14 * 86400, responded + 14 * 86400
            elif life.get("stalled"):
                pass
            elif life["paused"] is not None and life["paused"] <= now < life["resumed"] and names["paused"]:
                status, paused_since, updated = names["paused"], life["paused"], life["paused"]
            elif life["answered"] is not None and life["answered"] <= now:
                responded, updated = life["answered"], life["answered"]
                status = names["answered"] or pick(rng, self.suggestion_answers)
                if life["closed"] <= now:
                    status, closed, updated = "closed", life["closed"], life["closed"]
        manual = unit_id in office.manual_units
        officers = office.officers[unit_id]
        if manual and status == "assigned":
            assignee = None
        else:
            turn = self.round_robin.get(unit_id, 0)
            self.round_robin[unit_id] = turn + 1
            assignee = officers[turn % len(officers)]
        is_open = status != "closed"
        if is_open:
            self.stats["open"] += 1

        # SLA clocks, as the project's rules would have left them now.
        policy = office.policy(kind, priority)
        clocks, pauses = [], []
        next_actions, dues, warns, level = [], [], [], 0
        resolve_due = None
        if status == "assigned":
            ack_met = None
        else:
            ack_met = acknowledged
        if life["side"] in ("rejected", "merged") and acknowledged is not None:
            res_met = acknowledged  # rejecting answers the citizen; a merged case's work goes on elsewhere
        else:
            res_met = responded if responded is not None else closed
        if paused_since is not None:
            expiry = (self.fast.add(paused_since, policy.max_pause) if policy.calendar == "business"
                      else paused_since + policy.max_pause) if policy.max_pause is not None else None
            if expiry is not None and expiry <= now:  # the sweep would have resumed it already
                status, paused_since = names["screened"], None
        for clock_kind, budget in (("acknowledge", policy.acknowledge), ("resolve", policy.resolve)):
            times = self.clock_times(policy.calendar, start, budget, policy.ladder)
            due = times[[s["percent"] for s in policy.ladder].index(100)]
            met = ack_met if clock_kind == "acknowledge" else res_met
            if clock_kind == "resolve":
                resolve_due = due
            paused = paused_since if (clock_kind == "resolve" and met is None and paused_since) else None
            horizon = met or paused or now
            steps = sum(1 for t in times if t <= horizon)
            if met is None and paused is None:
                if steps < len(times):
                    next_actions.append(times[steps])
                dues.append(due)
                warns.append(times[0] if policy.ladder[0]["percent"] < 100 else due)
            if paused is not None and policy.max_pause is not None:
                next_actions.append(self.fast.add(paused, policy.max_pause) if policy.calendar == "business"
                                    else paused + policy.max_pause)
            if is_open:
                for step_index in range(steps):
                    level = max(level, min(int(policy.ladder[step_index]["level"]), 3))
            used = None if met is None else (
                self.fast.position(met) - self.fast.position(start) if policy.calendar == "business" else met - start)
            clocks.append((2 * case_id - (clock_kind == "acknowledge"), case_id, clock_kind, policy.pk, policy.calendar, budget, policy.ladder_json,
                           policy.max_pause, start, paused, met, used, due, steps))
            if paused is not None:
                pauses.append((2 * case_id, paused, None, "awaiting_citizen"))
        next_action = min(next_actions, default=None)
        sla_due, sla_warn = min(dues, default=None), min(warns, default=None)
        if next_action is not None:
            self.stats["with_next_action"] += 1
        if paused_since:
            self.stats["paused"] += 1
        if sla_due is not None and sla_due < now:
            self.stats["overdue"] += 1
        if level:
            self.stats["escalated"] += 1

        tracking = self.tracking(kind)
        title, description = self.texts(kind, category)
        document = "\n".join([tracking, title, description])
        if responded is not None and kind != "corruption":
            document += "\n" + rng.choice(REPLIES)
        anonymous = kind == "corruption" and rng.random() < 0.5 or rng.random() < 0.05
        contact = "" if anonymous else rng.choice(self.contacts)
        recorded_by = office.clerk if channel in STAFF_CHANNELS else None
        satisfaction = rng.choice((3, 4, 4, 5, 5, 5, 2)) if closed and rng.random() < 0.2 else None

        at = datetime.fromtimestamp(start, UTC)
        event = SimpleNamespace(seq=1, at=at, actor_id=recorded_by, actor_kind="staff" if recorded_by else "citizen",
                                type="submit", from_status="", to_status="submitted", data={"channel": channel},
                                visibility="internal", prev_hash=self.genesis)
        event.hash = self.event_hash(event, tracking_number=tracking)

        case_row = "\t".join((
            str(case_id), tracking, kind, status, str(level), channel, priority, "t" if kind == "corruption" else "f",
            text(title), text(description), contact, "t" if anonymous else "f", "th",
            hashlib.sha256(tracking.encode()).hexdigest(), ts(start), ts(updated), ts(resolve_due), ts(acknowledged),
            ts(responded), ts(closed), nullable(satisfaction), "", ts(closed if satisfaction else None),
            nullable(assignee), nullable(recorded_by), str(office.categories[(kind, category)]), str(unit_id),
            event.hash, "1", ts(life["routed"]), ts(sla_due), ts(next_action), ts(sla_warn), text(document), "\\N",
        ))
        event_row = "\t".join((str(case_id), "1", at.isoformat(), nullable(recorded_by), event.actor_kind, "submit", "",
                               "submitted", json.dumps(event.data), "internal", self.genesis, event.hash))
        clock_rows = ["\t".join((str(c[0]), str(c[1]), c[2], str(c[3]), c[4], repr(c[5]), c[6], nullable(c[7]), ts(c[8]),
                                 ts(c[9]), ts(c[10]), nullable(c[11]), ts(c[12]), str(c[13]))) for c in clocks]
        pause_rows = ["\t".join((str(p[0]), ts(p[1]), "\\N", p[3])) for p in pauses]
        return case_row, event_row, clock_rows, pause_rows


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def _deferred_definitions(conn) -> tuple[list[str], list[str], list[str]]:
    """Foreign keys and unique constraints (re-added after the load) and plain indexes (rebuilt) of the big tables."""
    tables = ", ".join(f"'{name}'" for name in BIG_TABLES)
    constraints = conn.execute(
        f"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        f"WHERE conrelid::regclass::text IN ({tables}) AND contype IN ('f', 'u')").fetchall()
    indexes = conn.execute(
        f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ({tables}) AND indexname NOT IN "
        f"(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'f'))").fetchall()
    drops = [f"ALTER TABLE {table} DROP CONSTRAINT {name}" for table, name, _, _ in constraints]
    drops += [f"DROP INDEX {name}" for name, _ in indexes]
    creates = [definition for _, definition in indexes]
    unique = [f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition, kind in constraints
              if kind == "u"]
    foreign = [f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition, kind in constraints
               if kind == "f"]
    return drops, unique + creates, foreign


CHUNK = 25_000
_GENERATOR: "Generator | None" = None  # set in the parent before forking the workers


def _generate_chunk(first_id: int) -> tuple[int, dict, dict]:
    """Write the rows of cases first_id .. first_id + CHUNK - 1 to files (in a forked worker)."""
    gen = _GENERATOR
    gen.rng.seed(RNG_SEED + first_id)
    gen.stats = dict.fromkeys(gen.stats, 0)
    paths = {name: f"/tmp/rabfang-seed-{name}-{first_id}.tsv" for name in ("case", "event", "clock", "pause")}
    files = {name: open(path, "w", encoding="utf-8") for name, path in paths.items()}
    for case_id in range(first_id, min(first_id + CHUNK, gen.count + 1)):
        case_row, event_row, clock_rows, pause_rows = gen.case(case_id)
        files["case"].write(case_row + "\n")
        files["event"].write(event_row + "\n")
        for row in clock_rows:
            files["clock"].write(row + "\n")
        for row in pause_rows:
            files["pause"].write(row + "\n")
    for handle in files.values():
        handle.close()
    return first_id, paths, gen.stats


TABLES = (("case", "core_case", CASE_COLUMNS), ("event", "core_caseevent", EVENT_COLUMNS),
          ("clock", "core_slaclock", CLOCK_COLUMNS), ("pause", "core_slapause", PAUSE_COLUMNS))


def _build(database_url: str, statements: list[str]) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for statement in statements:
            conn.execute(statement)


def load(database_url: str, count: int, gen: Generator, workers: int) -> dict:
    """Workers generate chunks of rows into files while this process COPYs finished chunks in."""
    import multiprocessing

    import psycopg

    global _GENERATOR
    gen.count = count
    _GENERATOR = gen
    timings = {}
    with psycopg.connect(database_url) as conn:
        drops, indexes, foreign = _deferred_definitions(conn)
        conn.execute("TRUNCATE core_case, core_caseevent, core_slaclock, core_slapause CASCADE")
        for statement in drops:
            conn.execute(statement)
        conn.commit()
        started = time.perf_counter()
        totals = dict.fromkeys(gen.stats, 0)
        with multiprocessing.get_context("fork").Pool(workers) as pool, conn.cursor() as cur:
            for _, paths, stats in pool.imap_unordered(_generate_chunk, range(1, count + 1, CHUNK)):
                for key, value in stats.items():
                    totals[key] += value
                for name, table, columns in TABLES:
                    with open(paths[name], "rb") as handle, \
                            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        while block := handle.read(1 << 20):
                            copy.write(block)
                    os.unlink(paths[name])
        gen.stats = totals
        conn.commit()
        timings["generate_and_copy_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        unique = [statement for statement in indexes if statement.startswith("ALTER TABLE")]
        gin = [statement for statement in indexes if "USING gin" in statement]
        btree = [statement for statement in indexes if statement not in unique and statement not in gin]
        for statement in unique:  # ALTER TABLE locks the table: before the concurrent builds
            conn.execute(statement)
        conn.commit()
        # The trigram index takes most of the time and cannot be built in parallel: build it on a
        # second connection while this one builds the b-trees (CREATE INDEX locks share).
        gin_build = threading.Thread(target=_build, args=(database_url, gin))
        gin_build.start()
        for statement in btree:
            conn.execute(statement)
        conn.commit()
        gin_build.join()
        timings["indexes_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        for statement in foreign:  # validates every row
            conn.execute(statement)
        for table in ("core_case", "core_slaclock", "core_caseevent", "core_slapause"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        conn.commit()
        timings["foreign_keys_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) core_case, core_caseevent, core_slaclock, core_slapause")
    timings["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    return timings


def check_sample(now: datetime, size: int = 300) -> dict:
    """The project's own code agrees with what was loaded: hash chains hold, SLA columns are as sla_compute sets them."""
    from core.audit import chain_verify
    from core.config_cache import calendars
    from core.models import Case
    from core.sla import clock_elapsed
    from workflows.sla import load_clocks, sla_compute

    cals = calendars()
    sample = list(Case.objects.order_by("?")[:size])
    broken = [case.tracking_number for case in sample if not chain_verify(case).ok]
    assert not broken, f"hash chains do not verify: {broken[:5]}"
    columns = ("sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at")
    mismatches = []

    def differs(before, after) -> bool:
        return (before is None) != (after is None) or bool(before and abs((before - after).total_seconds()) > 0.01)

    for case in sample:  # (sla_compute works in memory: nothing is written)
        stored = [getattr(case, column) for column in columns]
        clocks, pauses = load_clocks(case)
        dues = [clock.due_at for clock in clocks]
        sla_compute(case, clocks, pauses, cals)
        for column, before in zip(columns, stored, strict=True):
            if differs(before, getattr(case, column)):
                mismatches.append((case.tracking_number, column, before, getattr(case, column)))
        for clock, before in zip(clocks, dues, strict=True):
            if differs(before, clock.due_at):
                mismatches.append((case.tracking_number, clock.kind, before, clock.due_at))
            if clock.met_at is not None:
                used = clock_elapsed(clock, pauses.get(clock.pk, []), cals.of(clock), clock.met_at)
                if abs(used - clock.used_seconds) > 0.01:
                    mismatches.append((case.tracking_number, clock.kind, "used_seconds", clock.used_seconds, used))
    assert not mismatches, f"SLA columns differ from sla_compute: {mismatches[:5]}"
    due = Case.objects.filter(sla_next_action_at__lte=now).count()
    return {"sample_checked": len(sample), "due_for_sweep_at_seed": due}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--workers", type=int, default=2, help="Processes generating rows.")
    options = parser.parse_args()
    assert options.database.startswith("rabfang_bench"), "bench databases are named rabfang_bench*"

    import psycopg

    total = time.perf_counter()
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {options.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {options.database}")
    database_url = SERVER.rsplit("/", 1)[0] + f"/{options.database}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("RABFANG_VAR_DIR", "/tmp/rabfang-bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from core.config_cache import calendars

    call_command("migrate", verbosity=0, run_syncdb=True)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    staff_users_add(OFFICERS_PER_UNIT)
    office = Office()
    rng = random.Random(RNG_SEED)
    now_dt = datetime.now(UTC)
    now = now_dt.timestamp()
    business = calendars().business
    first = (now_dt - timedelta(days=YEARS * 366 + 2)).date()
    fast = FastBusinessCalendar(business, first, (now_dt + timedelta(days=200)).date())
    check_calendar(fast, business, rng, now - YEARS * 365 * 86400, now + 30 * 86400)
    gen = Generator(office, fast, now, rng)
    timings = load(database_url, options.cases, gen, options.workers)
    from django.db import connection

    connection.close()
    checks = check_sample(now_dt)
    result = {"database": options.database, "cases": options.cases, **gen.stats, **timings, **checks,
              "total_s": round(time.perf_counter() - total, 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
