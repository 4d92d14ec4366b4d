"""Words the renderer puts into letters itself, in every letter language.

Templates hold the letter's prose; this module holds the pieces computed from the
case (dates with their precision, statuses, vulnerabilities, a group's composition)
and the fixed texts of the legal bases, so that a template says ``{{ detained_on }}``
and gets "March 2017", "2017년 3월" or "2017年3月".
"""

import datetime

from casework.cases.enums import DatePrecision, Status, Vulnerability
from casework.letters.enums import LegalBasis

# The interface's labels (``cases.enums.Status``) are translated with the user's
# language; a letter's words are its own, in every letter language.
STATUS = {
    "en": {
        Status.AT_LARGE: "at large",
        Status.DETAINED: "detained",
        Status.TRANSFERRED: "transferred",
        Status.AT_RISK_OF_RETURN: "at risk of return",
        Status.RETURNED: "returned",
        Status.RELEASED: "released",
        Status.IN_SAFE_COUNTRY: "in a safe country",
        Status.DISAPPEARED: "disappeared",
        Status.DECEASED: "deceased",
        Status.UNKNOWN: "unknown",
    },
    "ko": {
        Status.AT_LARGE: "은신 중",
        Status.DETAINED: "구금 중",
        Status.TRANSFERRED: "이송됨",
        Status.AT_RISK_OF_RETURN: "강제송환 위기",
        Status.RETURNED: "강제송환됨",
        Status.RELEASED: "석방됨",
        Status.IN_SAFE_COUNTRY: "안전한 나라에 도착",
        Status.DISAPPEARED: "행방불명",
        Status.DECEASED: "사망",
        Status.UNKNOWN: "알 수 없음",
    },
    "zh": {
        Status.AT_LARGE: "藏匿中",
        Status.DETAINED: "被拘留",
        Status.TRANSFERRED: "已被转移",
        Status.AT_RISK_OF_RETURN: "面临强制遣返",
        Status.RETURNED: "已被强制遣返",
        Status.RELEASED: "已获释",
        Status.IN_SAFE_COUNTRY: "已抵达安全国家",
        Status.DISAPPEARED: "下落不明",
        Status.DECEASED: "已死亡",
        Status.UNKNOWN: "不明",
    },
}

VULNERABILITY = {
    "en": {
        Vulnerability.CHILD: "a child",
        Vulnerability.INFANT: "a baby born in detention",
        Vulnerability.ELDERLY: "an elderly person",
        Vulnerability.PREGNANT: "a pregnant woman",
        Vulnerability.SERIOUS_ILLNESS: "a person with a serious illness",
        Vulnerability.TRAFFICKING_VICTIM: "a victim of trafficking",
        Vulnerability.OTHER: "a person with particular needs",
    },
    "en_plural": {
        Vulnerability.CHILD: "{n} children",
        Vulnerability.INFANT: "{n} babies born in detention",
        Vulnerability.ELDERLY: "{n} elderly people",
        Vulnerability.PREGNANT: "{n} pregnant women",
        Vulnerability.SERIOUS_ILLNESS: "{n} people with a serious illness",
        Vulnerability.TRAFFICKING_VICTIM: "{n} victims of trafficking",
        Vulnerability.OTHER: "{n} people with particular needs",
    },
    "ko": {
        Vulnerability.CHILD: "아동",
        Vulnerability.INFANT: "구금 중 태어난 영아",
        Vulnerability.ELDERLY: "노인",
        Vulnerability.PREGNANT: "임신부",
        Vulnerability.SERIOUS_ILLNESS: "중병 환자",
        Vulnerability.TRAFFICKING_VICTIM: "인신매매 피해자",
        Vulnerability.OTHER: "특별한 보호가 필요한 사람",
    },
    "zh": {
        Vulnerability.CHILD: "儿童",
        Vulnerability.INFANT: "在拘留中出生的婴儿",
        Vulnerability.ELDERLY: "老人",
        Vulnerability.PREGNANT: "孕妇",
        Vulnerability.SERIOUS_ILLNESS: "重病患者",
        Vulnerability.TRAFFICKING_VICTIM: "人口贩运受害者",
        Vulnerability.OTHER: "需要特别保护的人",
    },
}

# (singular, plural) for English; a counter word for Korean and Chinese.
COMPOSITION = {
    "en": {
        "women": ("woman", "women"),
        "men": ("man", "men"),
        "children": ("child", "children"),
        "babies": ("baby", "babies"),
        "others": ("person of unknown sex", "people of unknown sex"),
    },
    "ko": {
        "women": "여성",
        "men": "남성",
        "children": "아동",
        "babies": "영아",
        "others": "성별 미상",
    },
    "zh": {
        "women": "女性",
        "men": "男性",
        "children": "儿童",
        "babies": "婴儿",
        "others": "性别不详者",
    },
}

# Provinces where North Koreans are most often held, as Korean and Chinese letters name them.
PROVINCE = {
    "ko": {
        "Jilin": "지린성", "Liaoning": "랴오닝성", "Heilongjiang": "헤이룽장성",
        "Yunnan": "윈난성", "Guangxi": "광시", "Inner Mongolia": "내몽골", "Beijing": "베이징",
        "Shandong": "산둥성", "Guangdong": "광둥성",
    },
    "zh": {
        "Jilin": "吉林省", "Liaoning": "辽宁省", "Heilongjiang": "黑龙江省",
        "Yunnan": "云南省", "Guangxi": "广西", "Inner Mongolia": "内蒙古", "Beijing": "北京",
        "Shandong": "山东省", "Guangdong": "广东省",
    },
}  # fmt: skip


def province_words(province: str, language: str) -> str:
    return PROVINCE.get(language, {}).get(province, province)


PEOPLE = {"en": ("person", "people"), "ko": "명", "zh": "人"}

LABELS = {
    "en": {
        "subject": "Subject",
        "copies": "Copies to",
        "reference": "Our reference",
        "fax": "Fax",
        "email": "Email",
        "act_before": "Please act before",
    },
    "ko": {
        "subject": "제목",
        "copies": "사본 수신",
        "reference": "문서 번호",
        "fax": "팩스",
        "email": "이메일",
        "act_before": "조치 요청 기한",
    },
    "zh": {
        "subject": "事由",
        "copies": "抄送",
        "reference": "编号",
        "fax": "传真",
        "email": "电子邮件",
        "act_before": "请于以下日期前采取行动",
    },
}

DEFAULT_SALUTATION = {"en": "Dear Sir or Madam", "ko": "귀하", "zh": "尊敬的先生/女士"}

LEGAL_BASIS = {
    LegalBasis.REFUGEE_CONVENTION: {
        "en": "Article 33(1) of the 1951 Convention relating to the Status of Refugees and "
        "its 1967 Protocol, to both of which China is a party, forbid returning a refugee to "
        "a country where their life or freedom would be threatened.",
        "ko": "중국이 당사국인 1951년 「난민의 지위에 관한 협약」 제33조 제1항과 1967년 "
        "의정서는 생명이나 자유가 위협받을 나라로 난민을 돌려보내는 것을 금지합니다.",
        "zh": "中国是1951年《关于难民地位的公约》及其1967年议定书的缔约国。公约第三十三条"
        "第一款禁止将难民驱逐或送回至其生命或自由会受到威胁的国家。",
    },
    LegalBasis.TORTURE_CONVENTION: {
        "en": "Article 3 of the Convention against Torture forbids returning anyone to a "
        "State where there are substantial grounds for believing they would be in danger "
        "of torture.",
        "ko": "「고문방지협약」 제3조는 고문을 당할 위험이 있다고 믿을 만한 상당한 근거가 "
        "있는 나라로 누구도 송환해서는 안 된다고 규정합니다.",
        "zh": "《禁止酷刑公约》第三条规定，如有充分理由相信任何人在另一国家将有遭受酷刑的"
        "危险，任何缔约国不得将该人遣返至该国。",
    },
    LegalBasis.CAT_CHINA_2015: {
        "en": "In its 2015 concluding observations on China (CAT/C/CHN/CO/5, paragraphs "
        "46-47), the Committee against Torture criticised the forced repatriation of North "
        "Koreans.",
        "ko": "유엔 고문방지위원회는 2015년 중국에 대한 최종견해(CAT/C/CHN/CO/5, 제46-47항)"
        "에서 북한 주민의 강제송환을 비판했습니다.",
        "zh": "联合国禁止酷刑委员会在2015年对中国的结论性意见（CAT/C/CHN/CO/5，第46至47段）"
        "中批评了强制遣返朝鲜人的做法。",
    },
    LegalBasis.SUR_PLACE: {
        "en": "Whatever their reasons for leaving, North Koreans who left without permission "
        "are refugees sur place: leaving is itself punished severely on return.",
        "ko": "떠난 이유가 무엇이든, 허가 없이 북한을 떠난 사람은 송환되면 출국 자체로 "
        "가혹한 처벌을 받기 때문에 현지 체재 중 난민(sur place)에 해당합니다.",
        "zh": "无论出于何种原因离开，未经许可离开朝鲜的人一旦被遣返，仅因离境本身就会受到"
        "严厉惩罚，因此属于\u201c就地难民\u201d（sur place）。",
    },
    LegalBasis.COI_2014: {
        "en": "The 2014 UN Commission of Inquiry on human rights in the DPRK found that crimes "
        "against humanity are committed against people forcibly returned, and called on "
        "States not to repatriate them by force. North Korea treats defection as "
        "\u201ctreachery against the nation\u201d.",
        "ko": "2014년 유엔 북한인권조사위원회는 강제송환된 사람들에게 반인도범죄가 자행되고 "
        "있다고 밝히고 각국에 강제송환을 하지 말 것을 촉구했습니다. 북한은 탈북을 "
        "\u201c조국반역\u201d으로 취급합니다.",
        "zh": "2014年联合国朝鲜人权调查委员会认定，被强制遣返者遭受危害人类罪，并呼吁各国"
        "不要强制遣返他们。朝鲜将脱北视为\u201c背叛祖国罪\u201d。",
    },
    LegalBasis.CHILD_RIGHTS: {
        "en": "The Convention on the Rights of the Child requires that the best interests of "
        "the child come first (Art. 3), that every child be registered at birth (Art. 7) and "
        "that refugee children receive protection (Art. 22).",
        "ko": "「아동권리협약」은 아동 최선의 이익을 우선 고려하고(제3조), 모든 아동을 출생 "
        "즉시 등록하며(제7조), 난민 아동을 보호하도록(제22조) 요구합니다.",
        "zh": "《儿童权利公约》要求以儿童的最大利益为首要考虑（第三条），儿童出生后应立即"
        "登记（第七条），难民儿童应得到适当保护（第二十二条）。",
    },
    LegalBasis.TRAFFICKING_PROTOCOL: {
        "en": "The UN Trafficking Protocol (Arts. 6-8) requires States to protect victims of "
        "trafficking, respect their privacy and consider letting them stay; in 2023 the "
        "CEDAW Committee voiced concern about North Korean women trafficked to China.",
        "ko": "유엔 「인신매매방지의정서」(제6-8조)는 피해자를 보호하고 사생활을 존중하며 "
        "체류를 허용하는 방안을 검토하도록 요구합니다. 2023년 유엔 여성차별철폐위원회도 "
        "중국으로 인신매매된 북한 여성에 대해 우려를 표명했습니다.",
        "zh": "联合国《预防、禁止和惩治贩运人口特别是妇女和儿童行为的补充议定书》（第六至八条）"
        "要求各国保护人口贩运受害者，尊重其隐私，并考虑允许其留在境内；2023年，消除对"
        "妇女歧视委员会对被贩卖到中国的朝鲜妇女表示关切。",
    },
    LegalBasis.ICCPR_LEAVE: {
        "en": "Article 12(2) of the International Covenant on Civil and Political Rights "
        "guarantees everyone the right to leave any country, including their own.",
        "ko": "「시민적 및 정치적 권리에 관한 국제규약」 제12조 제2항은 모든 사람이 자국을 "
        "포함한 어떤 나라로부터도 자유롭게 떠날 수 있다고 보장합니다.",
        "zh": "《公民权利和政治权利国际公约》第十二条第二款保障人人有自由离开任何国家，"
        "包括其本国在内。",
    },
}

_MONTHS_EN = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip


def date_words(value: datetime.date | None, precision: str, language: str) -> str:
    """A date as precise as it is known: '12 March 2017', '2017년 3월', '2017年左右'."""
    if value is None:
        return ""
    y, m, d = value.year, value.month, value.day
    if language == "ko":
        return {
            DatePrecision.YEAR: f"{y}년",
            DatePrecision.MONTH: f"{y}년 {m}월",
            DatePrecision.APPROXIMATE: f"{y}년 {m}월경",
        }.get(precision, f"{y}년 {m}월 {d}일")
    if language == "zh":
        return {
            DatePrecision.YEAR: f"{y}年",
            DatePrecision.MONTH: f"{y}年{m}月",
            DatePrecision.APPROXIMATE: f"{y}年{m}月前后",
        }.get(precision, f"{y}年{m}月{d}日")
    month = _MONTHS_EN[m - 1]
    return {
        DatePrecision.YEAR: str(y),
        DatePrecision.MONTH: f"{month} {y}",
        DatePrecision.APPROXIMATE: f"around {month} {y}",
    }.get(precision, f"{d} {month} {y}")


def status_words(status: str, language: str) -> str:
    return STATUS[language][status]


def vulnerability_words(kind: str, count: int, language: str) -> str:
    """'2 children' / 'a pregnant woman'; '아동 2명'; '儿童2人'."""
    if language == "en":
        if count == 1:
            return VULNERABILITY["en"][kind]
        return VULNERABILITY["en_plural"][kind].format(n=count)
    label = VULNERABILITY[language][kind]
    if count == 1:
        return label
    return f"{label} {count}명" if language == "ko" else f"{label}{count}人"


def people_words(count: int, language: str) -> str:
    if language == "en":
        singular, plural = PEOPLE["en"]
        return f"{count} {singular if count == 1 else plural}"
    return f"{count}{PEOPLE[language]}"


def composition_words(counts: dict[str, int], language: str) -> str:
    """'3 women, 1 man and 1 child'; '여성 3명, 남성 1명, 아동 1명'; '女性3人、男性1人、儿童1人'."""
    parts = []
    for key in ("women", "men", "children", "babies", "others"):
        n = counts.get(key, 0)
        if not n:
            continue
        if language == "en":
            singular, plural = COMPOSITION["en"][key]
            parts.append(f"{n} {singular if n == 1 else plural}")
        elif language == "ko":
            parts.append(f"{COMPOSITION['ko'][key]} {n}명")
        else:
            parts.append(f"{COMPOSITION['zh'][key]}{n}人")
    return list_words(parts, language)


def list_words(items: list[str], language: str) -> str:
    if not items:
        return ""
    if language == "zh":
        return "、".join(items)
    if language == "ko":
        return ", ".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
