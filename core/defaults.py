"""What every office starts with besides its own organisation: the agencies a Thai area office refers cases to and
receives them from, and the usual reasons work waits. Administrators edit them (addresses, reply times, limits) in
the admin API or the Django admin. Added by migration 0018 and, in a database emptied since, by ``seed_demo``."""

AGENCIES = [
    # code, Thai name, English name, phone, reply business days, handles corruption
    ("damrongdham", "ศูนย์ดำรงธรรมจังหวัด", "Provincial Damrongdham Centre", "1567", 15, False),
    ("center-1111", "ศูนย์บริการประชาชน สำนักงานปลัดสำนักนายกรัฐมนตรี (สายด่วน 1111)",
     "Government Contact Centre 1111, Office of the Permanent Secretary, Prime Minister's Office", "1111", 15, False),
    ("obec", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน (สพฐ.)", "Office of the Basic Education Commission (OBEC)", "", 15,
     False),
    ("provincial-education", "สำนักงานศึกษาธิการจังหวัด", "Provincial Education Office", "", 15, False),
    ("other-area-office", "สำนักงานเขตพื้นที่การศึกษาอื่น", "Another educational service area office", "", 15, False),
    ("province", "ศาลากลางจังหวัด (สำนักงานจังหวัด)", "Provincial Office", "", 15, False),
    ("police", "สถานีตำรวจในพื้นที่", "Local police station", "", 15, False),
    ("nacc", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.)",
     "Office of the National Anti-Corruption Commission (NACC)", "1205", 30, True),
    ("pacc", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตในภาครัฐ (สำนักงาน ป.ป.ท.)",
     "Office of the Public Sector Anti-Corruption Commission (PACC)", "1206", 30, True),
]

WAITING_REASONS = [
    # code, Thai name, English name, Thai explanation, English explanation, stops the clock, at most (business days)
    ("awaiting_budget", "รองบประมาณ", "Awaiting budget",
     "การแก้ไขเรื่องนี้ต้องใช้งบประมาณ สำนักงานกำลังรอการจัดสรรงบประมาณ เมื่อได้รับแล้วจะดำเนินการต่อทันที",
     "Solving this needs a budget. The office is waiting for it to be allocated and will continue as soon as it is.",
     True, 60),
    ("awaiting_procurement", "รอการจัดซื้อจัดจ้าง", "Awaiting procurement",
     "สำนักงานกำลังจัดซื้อจัดจ้างตามระเบียบของทางราชการ ซึ่งมีขั้นตอนและระยะเวลาตามที่กฎหมายกำหนด",
     "The office is procuring what is needed under the government's procurement rules, which set their own steps "
     "and times.", True, 60),
    ("awaiting_legal", "รอกระบวนการทางกฎหมาย", "Awaiting a legal process",
     "เรื่องนี้อยู่ระหว่างกระบวนการทางกฎหมายหรือทางวินัย สำนักงานต้องรอผลของกระบวนการนั้นก่อนจึงจะดำเนินการต่อได้",
     "This matter is in a legal or disciplinary process. The office must wait for its outcome before it can "
     "continue.", True, None),
    ("awaiting_agency", "รอข้อมูลจากหน่วยงานอื่น", "Awaiting another agency",
     "สำนักงานได้ขอข้อมูลหรือความเห็นจากหน่วยงานอื่นเพื่อใช้พิจารณาเรื่องของท่าน และกำลังรอคำตอบ",
     "The office has asked another agency for information or an opinion it needs for your case and is waiting "
     "for the answer.", False, 15),
    ("awaiting_citizen_action", "รอการดำเนินการจากผู้ร้อง", "Awaiting the citizen",
     "สำนักงานรอข้อมูลหรือการดำเนินการจากท่านตามที่แจ้งไว้ ระยะเวลาดำเนินการของสำนักงานหยุดนับจนกว่าจะได้รับ",
     "The office is waiting for information or an action from you, as it told you. Its time to answer is paused "
     "until then.", True, 15),
]


def referral_and_waiting_defaults_add(Agency, WaitingReason) -> None:  # noqa: N803 - model classes, maybe historical
    """Add the default agencies and waiting reasons an office lacks; never changes one it has."""
    for code, name_th, name_en, phone, reply_days, handles_corruption in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={
            "name_th": name_th, "name_en": name_en, "phone": phone, "reply_days": reply_days,
            "handles_corruption": handles_corruption})
    for position, (code, name_th, name_en, text_th, text_en, stops, days) in enumerate(WAITING_REASONS):
        WaitingReason.objects.get_or_create(code=code, defaults={
            "name_th": name_th, "name_en": name_en, "explanation_th": text_th, "explanation_en": text_en,
            "stops_clock": stops, "max_business_days": days, "position": position * 10})


# The ITA checklist items the evidence pack answers (reports/evidence.py). Their numbers change from year to year
# and between kinds of agency: these are a starting point, for items that apply to every year, to be corrected in
# the Django admin ("ITA evidence items") for the year's published checklist.
EVIDENCE_ITEMS = [
    # code, title (as the checklist words it), document
    ("O26", "ช่องทางการแจ้งเรื่องร้องเรียน", "channels"),
    ("O27", "แนวปฏิบัติการจัดการเรื่องร้องเรียน", "guideline"),
    ("O27", "ข้อมูลเชิงสถิติเรื่องร้องเรียน", "complaint_reports"),
    ("O28", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "corruption_channel"),
    ("O28", "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "corruption_reports"),
    ("o25", "การเปิดโอกาสให้เกิดการมีส่วนร่วม", "participation"),
]


def evidence_defaults_add(EvidenceItem) -> None:  # noqa: N803 - a model class, maybe historical
    """Add the default checklist items if the office has none (it never changes or adds to its own)."""
    if EvidenceItem.objects.exists():
        return
    for position, (code, title, document) in enumerate(EVIDENCE_ITEMS):
        EvidenceItem.objects.create(code=code, title=title, document=document, position=position * 10)
