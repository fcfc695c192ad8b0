"""The demo office's published channels (seed 3.4). Numbers and addresses are examples for the demo."""

from portal.models import PublishedChannel

# (kind, Thai name, English name, Thai detail, English detail, link)
CHANNELS = [
    ("phone", "โทรศัพท์", "Telephone", "0 5600 0001 (วันและเวลาราชการ 08.30–16.30 น.)",
     "+66 5600 0001 (working days 08:30–16:30)", "tel:+6656000001"),
    ("line", "LINE Official Account", "LINE Official Account", "@rabfang-demo", "@rabfang-demo",
     "https://line.me/R/ti/p/@rabfang-demo"),
    ("email", "อีเมล", "Email", "saraban@rabfang-demo.example", "saraban@rabfang-demo.example",
     "mailto:saraban@rabfang-demo.example"),
    ("facebook", "เฟซบุ๊ก", "Facebook", "เพจ สพป.นครสวรรค์ เขต 1 (ตัวอย่าง)", "The office's page (demo)", ""),
    ("walk_in", "ติดต่อด้วยตนเองหรือส่งหนังสือ", "In person or by letter",
     "ห้องประชาสัมพันธ์ สพป.นครสวรรค์ เขต 1 อำเภอเมืองนครสวรรค์ จังหวัดนครสวรรค์ 60000",
     "Public relations desk, Nakhon Sawan PESAO 1, Mueang Nakhon Sawan, Nakhon Sawan 60000", ""),
    ("suggestion_box", "ตู้รับความคิดเห็น", "Suggestion box", "หน้าห้องประชาสัมพันธ์ ชั้น 1",
     "Outside the public relations desk, ground floor", ""),
    ("center_1111", "ศูนย์บริการประชาชน 1111", "Government contact centre 1111", "โทร 1111 หรือ www.1111.go.th",
     "Call 1111 or www.1111.go.th", "https://www.1111.go.th"),
    ("damrongdham", "ศูนย์ดำรงธรรม", "Damrongdham centre", "โทร 1567", "Call 1567", "tel:1567"),
]


def seed_channels(sender, office, **kwargs) -> None:
    for position, (kind, name_th, name_en, detail_th, detail_en, link) in enumerate(CHANNELS):
        PublishedChannel.objects.update_or_create(
            office=office, kind=kind,
            defaults={"name_th": name_th, "name_en": name_en, "detail_th": detail_th, "detail_en": detail_en,
                      "link": link, "position": position},
        )
