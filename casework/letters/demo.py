"""Demo data of the letters app: public institutions and the four appeal templates.

Institutions and offices only, never private persons. Loaded by a data migration (so
a fresh database has them) and by ``seed_demo`` through ``services``. The loaders take
the model class, so migrations can pass historical models.
"""

from textwrap import dedent

_CN = ["imminent_return", "trafficking", "children", "follow_up"]
_UN = ["imminent_return", "trafficking", "children", "follow_up", "after_return"]
_KR = ["imminent_return", "follow_up", "after_return"]
_GENEVA = "Office of the UN High Commissioner for Human Rights\nPalais des Nations\nCH-1211 Geneva 10\nSwitzerland"


def _un(title: str, title_ko: str, title_zh: str, salutation: str = "Dear Special Rapporteur"):
    return {
        "title": title,
        "institution": "United Nations Human Rights Council, Special Procedures",
        "title_ko": title_ko,
        "institution_ko": "유엔 인권이사회 특별절차",
        "title_zh": title_zh,
        "institution_zh": "联合国人权理事会特别程序",
        "country": "UN",
        "postal_address": _GENEVA,
        "salutation": salutation,
        "salutation_ko": "귀하",
        "salutation_zh": "尊敬的阁下",
        "language": "en",
        "topics": _UN,
    }


RECIPIENTS: list[dict] = [
    {
        "title": "President of the People's Republic of China",
        "institution": "Office of the President",
        "title_ko": "중화인민공화국 주석",
        "institution_ko": "국가주석판공실",
        "title_zh": "中华人民共和国主席",
        "institution_zh": "国家主席办公室",
        "country": "CN",
        "postal_address": "Zhongnanhai, Xichang'an Jie\nXicheng District, Beijing 100017\nPeople's Republic of China",
        "salutation": "Your Excellency",
        "salutation_ko": "주석 각하",
        "salutation_zh": "尊敬的主席阁下",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Premier of the State Council",
        "institution": "State Council of the People's Republic of China",
        "title_ko": "국무원 총리",
        "institution_ko": "중화인민공화국 국무원",
        "title_zh": "国务院总理",
        "institution_zh": "中华人民共和国国务院",
        "country": "CN",
        "postal_address": "9 Xihuangchenggen Beijie\nXicheng District, Beijing 100032\nPeople's Republic of China",
        "salutation": "Your Excellency",
        "salutation_ko": "총리 각하",
        "salutation_zh": "尊敬的总理阁下",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Minister of Public Security",
        "institution": "Ministry of Public Security of the People's Republic of China",
        "title_ko": "공안부 부장",
        "institution_ko": "중화인민공화국 공안부",
        "title_zh": "公安部部长",
        "institution_zh": "中华人民共和国公安部",
        "country": "CN",
        "postal_address": "14 Dongchang'an Jie\nDongcheng District, Beijing 100741\nPeople's Republic of China",
        "salutation": "Dear Minister",
        "salutation_ko": "부장님께",
        "salutation_zh": "尊敬的部长",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Minister of Foreign Affairs",
        "institution": "Ministry of Foreign Affairs of the People's Republic of China",
        "title_ko": "외교부 부장",
        "institution_ko": "중화인민공화국 외교부",
        "title_zh": "外交部部长",
        "institution_zh": "中华人民共和国外交部",
        "country": "CN",
        "postal_address": "2 Chaoyangmen Nandajie\nChaoyang District, Beijing 100701\nPeople's Republic of China",
        "salutation": "Dear Minister",
        "salutation_ko": "부장님께",
        "salutation_zh": "尊敬的部长",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Director, Jilin Provincial Public Security Department",
        "institution": "Jilin Provincial Public Security Department",
        "title_ko": "지린성 공안청 청장",
        "institution_ko": "지린성 공안청",
        "title_zh": "吉林省公安厅厅长",
        "institution_zh": "吉林省公安厅",
        "country": "CN",
        "postal_address": "Changchun, Jilin Province\nPeople's Republic of China",
        "salutation": "Dear Director",
        "salutation_ko": "청장님께",
        "salutation_zh": "尊敬的厅长",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Director, Liaoning Provincial Public Security Department",
        "institution": "Liaoning Provincial Public Security Department",
        "title_ko": "랴오닝성 공안청 청장",
        "institution_ko": "랴오닝성 공안청",
        "title_zh": "辽宁省公安厅厅长",
        "institution_zh": "辽宁省公安厅",
        "country": "CN",
        "postal_address": "Shenyang, Liaoning Province\nPeople's Republic of China",
        "salutation": "Dear Director",
        "salutation_ko": "청장님께",
        "salutation_zh": "尊敬的厅长",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Director, Yunnan Provincial Public Security Department",
        "institution": "Yunnan Provincial Public Security Department",
        "title_ko": "윈난성 공안청 청장",
        "institution_ko": "윈난성 공안청",
        "title_zh": "云南省公安厅厅长",
        "institution_zh": "云南省公安厅",
        "country": "CN",
        "postal_address": "Kunming, Yunnan Province\nPeople's Republic of China",
        "salutation": "Dear Director",
        "salutation_ko": "청장님께",
        "salutation_zh": "尊敬的厅长",
        "language": "zh",
        "topics": _CN,
    },
    {
        "title": "Ambassador of the People's Republic of China to the Republic of Korea",
        "institution": "Embassy of the People's Republic of China in Seoul",
        "title_ko": "주한 중화인민공화국 대사",
        "institution_ko": "주한 중국대사관",
        "title_zh": "中华人民共和国驻大韩民国大使",
        "institution_zh": "中华人民共和国驻大韩民国大使馆",
        "country": "CN",
        "postal_address": "27 Myeongdong 2-gil, Jung-gu\nSeoul, Republic of Korea",
        "salutation": "Your Excellency",
        "salutation_ko": "대사님께",
        "salutation_zh": "尊敬的大使阁下",
        "language": "ko",
        "topics": _CN,
    },
    {
        "title": "UN High Commissioner for Refugees",
        "institution": "Office of the United Nations High Commissioner for Refugees (UNHCR)",
        "title_ko": "유엔난민최고대표",
        "institution_ko": "유엔난민기구(UNHCR)",
        "title_zh": "联合国难民事务高级专员",
        "institution_zh": "联合国难民署",
        "country": "UN",
        "postal_address": "Case Postale 2500\nCH-1211 Genève 2 Dépôt\nSwitzerland",
        "salutation": "Dear High Commissioner",
        "salutation_ko": "최고대표님께",
        "salutation_zh": "尊敬的高级专员",
        "language": "en",
        "topics": _UN,
    },
    {
        "title": "Representative, UNHCR Regional Office for China and Mongolia",
        "institution": "UNHCR Beijing",
        "title_ko": "유엔난민기구 중국·몽골 지역사무소 대표",
        "institution_ko": "유엔난민기구 베이징 사무소",
        "title_zh": "联合国难民署驻中国和蒙古地区代表处代表",
        "institution_zh": "联合国难民署北京代表处",
        "country": "UN",
        "postal_address": "Beijing\nPeople's Republic of China",
        "salutation": "Dear Representative",
        "salutation_ko": "대표님께",
        "salutation_zh": "尊敬的代表",
        "language": "en",
        "topics": _UN,
    },
    {
        "title": "UN High Commissioner for Human Rights",
        "institution": "Office of the United Nations High Commissioner for Human Rights",
        "title_ko": "유엔인권최고대표",
        "institution_ko": "유엔인권최고대표사무소",
        "title_zh": "联合国人权事务高级专员",
        "institution_zh": "联合国人权事务高级专员办事处",
        "country": "UN",
        "postal_address": "Palais des Nations\nCH-1211 Geneva 10\nSwitzerland",
        "salutation": "Dear High Commissioner",
        "salutation_ko": "최고대표님께",
        "salutation_zh": "尊敬的高级专员",
        "language": "en",
        "topics": _UN,
    },
    {
        "title": "Head of Office, OHCHR Seoul",
        "institution": "UN Human Rights Office in Seoul (OHCHR)",
        "title_ko": "유엔인권최고대표사무소 서울사무소 소장",
        "institution_ko": "유엔인권사무소(서울)",
        "title_zh": "联合国人权高专办首尔办事处主任",
        "institution_zh": "联合国人权高专办首尔办事处",
        "country": "UN",
        "postal_address": "Seoul, Republic of Korea",
        "salutation": "Dear Head of Office",
        "salutation_ko": "소장님께",
        "salutation_zh": "尊敬的主任",
        "language": "ko",
        "topics": _UN,
    },
    _un(
        "Special Rapporteur on the situation of human rights in the DPRK",
        "유엔 북한인권특별보고관",
        "联合国朝鲜人权状况特别报告员",
    ),
    _un(
        "Working Group on Arbitrary Detention",
        "유엔 자의적 구금에 관한 실무그룹",
        "联合国任意拘留问题工作组",
        "Dear Members of the Working Group",
    ),
    _un("Special Rapporteur on torture", "유엔 고문 특별보고관", "联合国酷刑问题特别报告员"),
    _un(
        "Working Group on Enforced or Involuntary Disappearances",
        "유엔 강제적 비자발적 실종에 관한 실무그룹",
        "联合国强迫或非自愿失踪问题工作组",
        "Dear Members of the Working Group",
    ),
    {
        "title": "President of the Republic of Korea",
        "institution": "Office of the President of the Republic of Korea",
        "title_ko": "대한민국 대통령",
        "institution_ko": "대통령실",
        "title_zh": "大韩民国总统",
        "institution_zh": "大韩民国总统室",
        "country": "KR",
        "postal_address": "Seoul, Republic of Korea",
        "salutation": "Your Excellency",
        "salutation_ko": "대통령님께",
        "salutation_zh": "尊敬的总统阁下",
        "language": "ko",
        "topics": _KR,
    },
    {
        "title": "Minister of Foreign Affairs of the Republic of Korea",
        "institution": "Ministry of Foreign Affairs of the Republic of Korea",
        "title_ko": "외교부 장관",
        "institution_ko": "대한민국 외교부",
        "title_zh": "大韩民国外交部长官",
        "institution_zh": "大韩民国外交部",
        "country": "KR",
        "postal_address": "60 Sajik-ro 8-gil, Jongno-gu\nSeoul 03172, Republic of Korea",
        "salutation": "Dear Minister",
        "salutation_ko": "장관님께",
        "salutation_zh": "尊敬的长官",
        "language": "ko",
        "topics": _KR,
    },
    {
        "title": "Minister of Unification",
        "institution": "Ministry of Unification of the Republic of Korea",
        "title_ko": "통일부 장관",
        "institution_ko": "대한민국 통일부",
        "title_zh": "大韩民国统一部长官",
        "institution_zh": "大韩民国统一部",
        "country": "KR",
        "postal_address": "Government Complex Seoul, 209 Sejong-daero, Jongno-gu\nSeoul 03171, Republic of Korea",
        "salutation": "Dear Minister",
        "salutation_ko": "장관님께",
        "salutation_zh": "尊敬的长官",
        "language": "ko",
        "topics": _KR,
    },
    {
        "title": "Special Envoy for North Korean Human Rights Issues",
        "institution": "United States Department of State",
        "title_ko": "북한인권특사",
        "institution_ko": "미국 국무부",
        "title_zh": "朝鲜人权问题特使",
        "institution_zh": "美国国务院",
        "country": "US",
        "postal_address": "2201 C Street NW\nWashington, DC 20520\nUnited States",
        "salutation": "Dear Special Envoy",
        "salutation_ko": "특사님께",
        "salutation_zh": "尊敬的特使",
        "language": "en",
        "topics": ["imminent_return", "follow_up", "after_return"],
    },
]

_BASES_LIST = {
    "en": "{% for basis in legal_bases %}- {{ basis }}\n{% endfor %}",
    "ko": "{% for basis in legal_bases %}- {{ basis }}\n{% endfor %}",
    "zh": "{% for basis in legal_bases %}- {{ basis }}\n{% endfor %}",
}


def _t(slug, language, title, topic, case_kind, bases, **sections):
    row = {
        "slug": slug,
        "language": language,
        "title": title,
        "topic": topic,
        "case_kind": case_kind,
        "default_legal_bases": bases,
        "active": True,
    }
    for name, text in sections.items():
        row[name] = dedent(text).strip()
    return row


_GROUP_BASES = [
    "refugee_convention",
    "torture_convention",
    "cat_china_2015",
    "sur_place",
    "coi_2014",
]
_TRAFFICKING_BASES = [
    "trafficking_protocol",
    "refugee_convention",
    "torture_convention",
    "coi_2014",
]
_CHILD_BASES = ["child_rights", "refugee_convention", "torture_convention", "coi_2014"]
_FOLLOW_UP_BASES = ["refugee_convention", "torture_convention"]

TEMPLATES: list[dict] = [
    # --- a group at imminent risk of forced return -------------------------------
    _t(
        "group-imminent-return",
        "en",
        "Group at imminent risk of forced return",
        "imminent_return",
        "group",
        _GROUP_BASES,
        subject="Urgent: {{ group_size }} North Koreans at imminent risk of forced return ({{ reference }})",
        asks="""
            We write on behalf of {{ people }} from North Korea ({{ composition }}), held in detention{% if facility %} at {{ facility }}{% if province %}, {{ province }}{% endif %}{% endif %}, whom we fear your authorities are about to send back to North Korea{% if planned_on %}, as early as {{ planned_on }}{% endif %}. We respectfully ask you to:
            - stop their forced return to North Korea;
            - allow them to travel safely to a country of their choice, including the Republic of Korea;
            - give the UN High Commissioner for Refugees (UNHCR) immediate access to them;
            - ensure that they are treated humanely in custody, with medical care{% if children %}, and that the children among them are protected{% endif %}.
        """,
        facts="""
            They were detained{% if detained_on %} ({{ detained_on }}){% endif %}{% if detained_place %} in {{ detained_place }}{% endif %}. Their present status: {{ current_status }}{% if facility %}, at {{ facility }}{% endif %}.
            {% if vulnerabilities %}Among them are {{ vulnerabilities_text }}.{% endif %}
            {% if planned_on %}We understand that a transfer or return is planned for {{ planned_on }}. A move to a facility on the border usually comes a few days before a return, which is why we write now.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            People returned to North Korea face interrogation, torture, imprisonment in prison camps and, for some, execution. In 2014 the UN Commission of Inquiry found that crimes against humanity are committed against those forcibly returned. North Korea treats leaving the country without permission as "treachery against the nation".
        """,
        legal_basis="China's obligations are clear:\n" + _BASES_LIST["en"],
        closing="""
            We ask you to act{% if deadline %} before {{ deadline }}{% endif %}, and we would be grateful to learn what steps have been taken.
            Respectfully,
        """,
    ),  # fmt: skip
    _t(
        "group-imminent-return",
        "ko",
        "강제송환 위기에 처한 그룹",
        "imminent_return",
        "group",
        _GROUP_BASES,
        subject="긴급: 강제송환 위기에 처한 북한 주민 {{ group_size }}명 ({{ reference }})",
        asks="""
            저희는 {% if facility %}{% if province %}{{ province }} {% endif %}{{ facility }}에 {% endif %}구금되어 곧 북한으로 송환될 것으로 우려되는 북한 주민 {{ people }}({{ composition }})을 위해 이 서한을 드립니다.{% if planned_on %} 송환은 이르면 {{ planned_on }}에 이루어질 수 있습니다.{% endif %} 다음과 같이 정중히 요청드립니다.
            - 이들의 북한 강제송환을 중단해 주십시오.
            - 대한민국을 포함하여 본인들이 원하는 나라로 안전하게 갈 수 있도록 허용해 주십시오.
            - 유엔난민기구(UNHCR)가 즉시 이들을 만날 수 있도록 해 주십시오.
            - 구금 중 인도적인 대우와 의료 지원을 보장해 주십시오{% if children %}. 특히 아동을 보호해 주십시오{% endif %}.
        """,
        facts="""
            이들은 {% if detained_on %}{{ detained_on }}{% endif %}{% if detained_place %} {{ detained_place }}에서{% endif %} 체포되었습니다. 현재 상태: {{ current_status }}{% if facility %}({{ facility }}){% endif %}.
            {% if vulnerabilities %}이 중에는 {{ vulnerabilities_text }}도 있습니다.{% endif %}
            {% if planned_on %}{{ planned_on }}에 이송 또는 송환이 예정되어 있다고 들었습니다. 국경 시설로의 이송은 보통 송환 며칠 전에 이루어지기 때문에 지금 서한을 드립니다.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            북한으로 송환된 사람들은 심문과 고문을 당하고 교화소나 관리소에 수감되며, 일부는 처형되기도 합니다. 2014년 유엔 북한인권조사위원회는 강제송환된 사람들에게 반인도범죄가 자행되고 있다고 밝혔습니다. 북한은 허가 없이 나라를 떠나는 것을 "조국반역"으로 취급합니다.
        """,
        legal_basis="중국 정부의 의무는 분명합니다.\n" + _BASES_LIST["ko"],
        closing="""
            {% if deadline %}{{ deadline }} 이전에 {% endif %}조치를 취해 주시고, 어떤 조치가 취해졌는지 알려 주시면 감사하겠습니다.
            삼가 드림
        """,
    ),  # fmt: skip
    _t(
        "group-imminent-return",
        "zh",
        "面临强制遣返的群体",
        "imminent_return",
        "group",
        _GROUP_BASES,
        subject="紧急：{{ group_size }}名朝鲜人面临被强制遣返的危险（{{ reference }}）",
        asks="""
            我们谨代表{% if facility %}被关押在{% if province %}{{ province }}{% endif %}{{ facility }}的{% endif %}{{ group_size }}名朝鲜人（{{ composition }}）致函。我们担心他们即将被遣返朝鲜{% if planned_on %}，最早可能在{{ planned_on }}{% endif %}。我们恳请您：
            - 停止将他们强制遣返朝鲜；
            - 允许他们安全前往包括大韩民国在内的他们所选择的国家；
            - 让联合国难民署（UNHCR）立即接触他们；
            - 确保他们在拘留期间获得人道待遇和医疗照顾{% if children %}，并保护其中的儿童{% endif %}。
        """,
        facts="""
            他们{% if detained_on %}于{{ detained_on }}{% endif %}{% if detained_place %}在{{ detained_place }}{% endif %}被拘留。目前状况：{{ current_status }}{% if facility %}（{{ facility }}）{% endif %}。
            {% if vulnerabilities %}其中包括{{ vulnerabilities_text }}。{% endif %}
            {% if planned_on %}据我们了解，他们预计于{{ planned_on }}被转移或遣返。被转移到边境设施通常意味着几天之内就会被遣返，因此我们现在致函。{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            被遣返朝鲜的人会遭受审讯和酷刑，被关押在劳改营或政治犯收容所，有些人甚至被处决。2014年联合国朝鲜人权调查委员会认定，被强制遣返者遭受危害人类罪。朝鲜将未经许可离开国家视为"背叛祖国罪"。
        """,
        legal_basis="中国政府的义务是明确的：\n" + _BASES_LIST["zh"],
        closing="""
            恳请您{% if deadline %}在{{ deadline }}之前{% endif %}采取行动，并告知我们已采取的措施。
            此致
            敬礼
        """,
    ),  # fmt: skip
    # --- an individual detainee who is a victim of trafficking ---------------------
    _t(
        "trafficking-victim",
        "en",
        "Individual detainee (trafficking victim)",
        "trafficking",
        "person",
        _TRAFFICKING_BASES,
        subject="Protection for {{ name }}, a North Korean victim of trafficking detained in China ({{ reference }})",
        asks="""
            We write about {{ name }}{% if age %}, aged about {{ age }}{% endif %}, a North Korean {% if sex %}{{ sex }} {% endif %}who was trafficked in China and is now held{% if facility %} at {{ facility }}{% if province %}, {{ province }}{% endif %}{% endif %}. We respectfully ask you to:
            - recognise {{ name }} as a victim of trafficking and not return this person to North Korea;
            - protect {{ name }}'s privacy and safety, as the UN Trafficking Protocol requires;
            - allow UNHCR and a lawyer to meet {{ name }} without delay;
            - allow safe travel to a country of {{ name }}'s choice.
        """,
        facts="""
            {{ name }} was detained{% if detained_on %} ({{ detained_on }}){% endif %}{% if detained_place %} in {{ detained_place }}{% endif %}. Present status: {{ current_status }}.
            Many North Korean women are sold into forced marriage or forced labour after crossing the border, and live in China without papers or any protection; {{ name }} is one of them.
            {% if vulnerabilities %}Please bear in mind that {{ name }} is {{ vulnerabilities_text }}.{% endif %}
            {% if planned_on %}A transfer or return is reportedly planned for {{ planned_on }}.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            Women returned to North Korea after living in China face interrogation, sexual violence, forced abortion and imprisonment, abuses the UN Commission of Inquiry documented in 2014.
        """,
        legal_basis="International law protects {{ name }}:\n" + _BASES_LIST["en"],
        closing="""
            Please act{% if deadline %} before {{ deadline }}{% endif %}. We would be grateful for a reply telling us what has been done.
            Respectfully,
        """,
    ),  # fmt: skip
    _t(
        "trafficking-victim",
        "ko",
        "인신매매 피해자 개인",
        "trafficking",
        "person",
        _TRAFFICKING_BASES,
        subject="중국에 구금된 북한 출신 인신매매 피해자 {{ name }}에 대한 보호 요청 ({{ reference }})",
        asks="""
            저희는 중국에서 인신매매 피해를 입고 현재 {% if facility %}{% if province %}{{ province }} {% endif %}{{ facility }}에 {% endif %}구금되어 있는 북한 출신 {% if sex %}{{ sex }} {% endif %}{{ name }}{% if age %}(약 {{ age }}세){% endif %}에 관하여 서한을 드립니다. 다음과 같이 정중히 요청드립니다.
            - {{ name }}을(를) 인신매매 피해자로 인정하고 북한으로 송환하지 말아 주십시오.
            - 유엔 인신매매방지의정서에 따라 {{ name }}의 사생활과 안전을 보호해 주십시오.
            - 유엔난민기구와 변호사가 지체 없이 {{ name }}을(를) 만날 수 있도록 해 주십시오.
            - 본인이 원하는 나라로 안전하게 갈 수 있도록 허용해 주십시오.
        """,
        facts="""
            {{ name }}은(는) {% if detained_on %}{{ detained_on }}{% endif %}{% if detained_place %} {{ detained_place }}에서{% endif %} 체포되었습니다. 현재 상태: {{ current_status }}.
            많은 북한 여성이 국경을 넘은 뒤 강제 결혼이나 강제 노동으로 팔려 가고, 신분증도 보호도 없이 중국에서 살아갑니다. {{ name }}도 그중 한 사람입니다.
            {% if vulnerabilities %}{{ name }}은(는) {{ vulnerabilities_text }}임을 고려해 주십시오.{% endif %}
            {% if planned_on %}{{ planned_on }}에 이송 또는 송환이 예정되어 있다고 합니다.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            중국에서 살다가 북한으로 송환된 여성들은 심문, 성폭력, 강제 낙태, 구금을 겪습니다. 2014년 유엔 북한인권조사위원회가 이러한 인권 침해를 기록했습니다.
        """,
        legal_basis="국제법은 {{ name }}을(를) 보호합니다.\n" + _BASES_LIST["ko"],
        closing="""
            {% if deadline %}{{ deadline }} 이전에 {% endif %}조치를 취해 주시기 바라며, 어떤 조치가 취해졌는지 회신해 주시면 감사하겠습니다.
            삼가 드림
        """,
    ),  # fmt: skip
    _t(
        "trafficking-victim",
        "zh",
        "个人被拘留者（人口贩运受害者）",
        "trafficking",
        "person",
        _TRAFFICKING_BASES,
        subject="请保护在中国被拘留的朝鲜籍人口贩运受害者{{ name }}（{{ reference }}）",
        asks="""
            我们就朝鲜籍{% if sex %}{{ sex }}{% endif %}{{ name }}{% if age %}（约{{ age }}岁）{% endif %}致函。{{ name }}在中国遭受人口贩运，目前被关押{% if facility %}在{% if province %}{{ province }}{% endif %}{{ facility }}{% endif %}。我们恳请您：
            - 承认{{ name }}是人口贩运受害者，不将其遣返朝鲜；
            - 依照联合国《打击人口贩运议定书》保护{{ name }}的隐私和安全；
            - 允许联合国难民署和律师尽快会见{{ name }}；
            - 允许其安全前往本人所选择的国家。
        """,
        facts="""
            {{ name }}{% if detained_on %}于{{ detained_on }}{% endif %}{% if detained_place %}在{{ detained_place }}{% endif %}被拘留。目前状况：{{ current_status }}。
            许多朝鲜妇女在越境后被卖去强迫婚姻或强迫劳动，在中国没有证件，也得不到任何保护；{{ name }}就是其中之一。
            {% if vulnerabilities %}请考虑到{{ name }}是{{ vulnerabilities_text }}。{% endif %}
            {% if planned_on %}据报，当局计划于{{ planned_on }}将其转移或遣返。{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            在中国生活后被遣返朝鲜的妇女会遭受审讯、性暴力、强迫堕胎和监禁。2014年联合国朝鲜人权调查委员会记录了这些侵害行为。
        """,
        legal_basis="国际法保护{{ name }}：\n" + _BASES_LIST["zh"],
        closing="""
            恳请您{% if deadline %}在{{ deadline }}之前{% endif %}采取行动，并回复告知已采取的措施。
            此致
            敬礼
        """,
    ),  # fmt: skip
    # --- a child or a baby born in detention ---------------------------------------
    _t(
        "child-born-in-detention",
        "en",
        "Child or baby born in detention",
        "children",
        "any",
        _CHILD_BASES,
        subject="{% if is_group %}Children among {{ group_size }} North Koreans detained{% else %}{{ name }}, a North Korean child detained{% endif %}{% if province %} in {{ province }}{% endif %} ({{ reference }})",
        asks="""
            We write about {% if is_group %}{{ people }} from North Korea ({{ composition }}){% else %}{{ name }}{% if age %}, aged about {{ age }}{% endif %}{% endif %}, held{% if facility %} at {{ facility }}{% endif %}. Children, and babies born in detention, must never be sent to North Korea. We respectfully ask you to:
            - stop the forced return of the children and of the parents who care for them;
            - register every child born in detention and give each child papers;
            - put the best interests of each child first, with medical care and food suited to their age;
            - give UNHCR and UNICEF access without delay.
        """,
        facts="""
            {% if is_group %}They were{% else %}{{ name }} was{% endif %} detained{% if detained_on %} ({{ detained_on }}){% endif %}{% if detained_place %} in {{ detained_place }}{% endif %}. Present status: {{ current_status }}.
            {% if vulnerabilities %}Those held include {{ vulnerabilities_text }}.{% endif %}
            A baby born in detention in China has never lived in North Korea. Sending the baby there, or taking the baby from the mother, cannot serve the child's best interests.
            {% if planned_on %}A transfer or return is reportedly planned for {{ planned_on }}.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            Children returned to North Korea with their families face detention in harsh conditions, hunger and the loss of their parents to prison camps. In 2014 the UN Commission of Inquiry found crimes against humanity against people forcibly returned.
        """,
        legal_basis="China is bound by the Convention on the Rights of the Child and by further law:\n"
        + _BASES_LIST["en"],
        closing="""
            Please act{% if deadline %} before {{ deadline }}{% endif %}. We would be grateful to hear what has been done for the children.
            Respectfully,
        """,
    ),  # fmt: skip
    _t(
        "child-born-in-detention",
        "ko",
        "아동 또는 구금 중 태어난 영아",
        "children",
        "any",
        _CHILD_BASES,
        subject="{% if is_group %}구금된 북한 주민 {{ group_size }}명 중의 아동{% else %}구금된 북한 아동 {{ name }}{% endif %}{% if province %}({{ province }}){% endif %} ({{ reference }})",
        asks="""
            저희는 {% if facility %}{{ facility }}에 {% endif %}구금되어 있는 {% if is_group %}북한 주민 {{ people }}({{ composition }}){% else %}{{ name }}{% if age %}(약 {{ age }}세){% endif %}{% endif %}에 관하여 서한을 드립니다. 아동과 구금 중 태어난 영아는 결코 북한으로 보내져서는 안 됩니다. 다음과 같이 정중히 요청드립니다.
            - 아동과 아동을 돌보는 부모의 강제송환을 중단해 주십시오.
            - 구금 중 태어난 모든 아동의 출생을 등록하고 신분 서류를 발급해 주십시오.
            - 각 아동의 최선의 이익을 우선하여 나이에 맞는 의료와 음식을 제공해 주십시오.
            - 유엔난민기구와 유니세프가 지체 없이 접근할 수 있도록 해 주십시오.
        """,
        facts="""
            {% if is_group %}이들은{% else %}{{ name }}은(는){% endif %} {% if detained_on %}{{ detained_on }}{% endif %}{% if detained_place %} {{ detained_place }}에서{% endif %} 체포되었습니다. 현재 상태: {{ current_status }}.
            {% if vulnerabilities %}구금된 사람 중에는 {{ vulnerabilities_text }}도 있습니다.{% endif %}
            중국의 구금 시설에서 태어난 영아는 북한에서 살아 본 적이 없습니다. 아기를 북한으로 보내거나 어머니와 떼어 놓는 것은 결코 아동의 최선의 이익이 될 수 없습니다.
            {% if planned_on %}{{ planned_on }}에 이송 또는 송환이 예정되어 있다고 합니다.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            가족과 함께 북한으로 송환된 아동은 열악한 환경의 구금과 굶주림을 겪고, 부모가 수용소에 끌려가 홀로 남겨지기도 합니다. 2014년 유엔 북한인권조사위원회는 강제송환된 사람들에 대한 반인도범죄를 확인했습니다.
        """,
        legal_basis="중국은 아동권리협약과 다음 국제법의 구속을 받습니다.\n" + _BASES_LIST["ko"],
        closing="""
            {% if deadline %}{{ deadline }} 이전에 {% endif %}조치를 취해 주시고, 아동을 위해 어떤 조치가 취해졌는지 알려 주시면 감사하겠습니다.
            삼가 드림
        """,
    ),  # fmt: skip
    _t(
        "child-born-in-detention",
        "zh",
        "儿童或在拘留中出生的婴儿",
        "children",
        "any",
        _CHILD_BASES,
        subject="{% if is_group %}被拘留的{{ group_size }}名朝鲜人中的儿童{% else %}被拘留的朝鲜儿童{{ name }}{% endif %}{% if province %}（{{ province }}）{% endif %}（{{ reference }}）",
        asks="""
            我们就被关押{% if facility %}在{{ facility }}{% endif %}的{% if is_group %}{{ group_size }}名朝鲜人（{{ composition }}）{% else %}{{ name }}{% if age %}（约{{ age }}岁）{% endif %}{% endif %}致函。儿童以及在拘留中出生的婴儿绝不能被送往朝鲜。我们恳请您：
            - 停止强制遣返儿童及照顾他们的父母；
            - 为每一个在拘留中出生的儿童办理出生登记并发给证件；
            - 以每个儿童的最大利益为首要考虑，提供适合其年龄的医疗和食物；
            - 允许联合国难民署和联合国儿童基金会尽快接触他们。
        """,
        facts="""
            {% if is_group %}他们{% else %}{{ name }}{% endif %}{% if detained_on %}于{{ detained_on }}{% endif %}{% if detained_place %}在{{ detained_place }}{% endif %}被拘留。目前状况：{{ current_status }}。
            {% if vulnerabilities %}被关押者中包括{{ vulnerabilities_text }}。{% endif %}
            在中国拘留设施中出生的婴儿从未在朝鲜生活过。把婴儿送往朝鲜，或使婴儿与母亲分离，都不符合儿童的最大利益。
            {% if planned_on %}据报，当局计划于{{ planned_on }}将其转移或遣返。{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            与家人一起被遣返朝鲜的儿童会在恶劣条件下被关押、忍饥挨饿，并可能因父母被送进劳改营而失去依靠。2014年联合国朝鲜人权调查委员会认定被强制遣返者遭受危害人类罪。
        """,
        legal_basis="中国受《儿童权利公约》及以下国际法的约束：\n" + _BASES_LIST["zh"],
        closing="""
            恳请您{% if deadline %}在{{ deadline }}之前{% endif %}采取行动，并告知为这些儿童所采取的措施。
            此致
            敬礼
        """,
    ),  # fmt: skip
    # --- follow-up after no response ----------------------------------------------
    _t(
        "follow-up-no-response",
        "en",
        "Follow-up / no response",
        "follow_up",
        "any",
        _FOLLOW_UP_BASES,
        subject="Follow-up: {% if is_group %}{{ group_size }} North Koreans{% else %}{{ name }}{% endif %} still at risk of forced return ({{ reference }})",
        asks="""
            {% if previous_letter_on %}On {{ previous_letter_on }} we wrote to you{% else %}We wrote to you earlier{% endif %} about {% if is_group %}{{ people }} from North Korea ({{ composition }}){% else %}{{ name }}{% endif %}, and we have not received a reply. We write again because the danger has not passed. We respectfully ask you once more to:
            - stop the forced return to North Korea;
            - allow UNHCR access and safe travel to a third country;
            - tell us what has happened to {% if is_group %}them{% else %}{{ name }}{% endif %}.
        """,
        facts="""
            As far as we know, the present status is: {{ current_status }}{% if facility %}, at {{ facility }}{% if province %}, {{ province }}{% endif %}{% endif %}.
            {% if planned_on %}A transfer or return is reportedly planned for {{ planned_on }}.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            The risk we described has not changed: people returned to North Korea face torture, prison camps and worse, as the UN Commission of Inquiry found in 2014.
        """,
        legal_basis="We recall:\n" + _BASES_LIST["en"],
        closing="""
            We would be grateful for your reply{% if deadline %} before {{ deadline }}{% endif %}.
            Respectfully,
        """,
    ),  # fmt: skip
    _t(
        "follow-up-no-response",
        "ko",
        "후속 서한 / 무응답",
        "follow_up",
        "any",
        _FOLLOW_UP_BASES,
        subject="후속 요청: 여전히 강제송환 위기에 처한 {% if is_group %}북한 주민 {{ group_size }}명{% else %}{{ name }}{% endif %} ({{ reference }})",
        asks="""
            저희는 {% if previous_letter_on %}{{ previous_letter_on }}에{% else %}앞서{% endif %} {% if is_group %}북한 주민 {{ people }}({{ composition }}){% else %}{{ name }}{% endif %}에 관하여 서한을 드렸으나 아직 회신을 받지 못했습니다. 위험이 계속되고 있기에 다시 서한을 드립니다. 다시 한번 정중히 요청드립니다.
            - 북한으로의 강제송환을 중단해 주십시오.
            - 유엔난민기구의 접근과 제3국으로의 안전한 이동을 허용해 주십시오.
            - {% if is_group %}이들이{% else %}{{ name }}이(가){% endif %} 어떻게 되었는지 알려 주십시오.
        """,
        facts="""
            저희가 아는 현재 상태: {{ current_status }}{% if facility %}({% if province %}{{ province }} {% endif %}{{ facility }}){% endif %}.
            {% if planned_on %}{{ planned_on }}에 이송 또는 송환이 예정되어 있다고 합니다.{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            저희가 말씀드린 위험은 달라지지 않았습니다. 2014년 유엔 북한인권조사위원회가 밝혔듯이 북한으로 송환된 사람들은 고문과 수용소 수감, 그 이상의 위험에 처합니다.
        """,
        legal_basis="다시 한번 상기시켜 드립니다.\n" + _BASES_LIST["ko"],
        closing="""
            {% if deadline %}{{ deadline }} 이전에 {% endif %}회신해 주시면 감사하겠습니다.
            삼가 드림
        """,
    ),  # fmt: skip
    _t(
        "follow-up-no-response",
        "zh",
        "跟进信函 / 未获回复",
        "follow_up",
        "any",
        _FOLLOW_UP_BASES,
        subject="跟进：{% if is_group %}{{ group_size }}名朝鲜人{% else %}{{ name }}{% endif %}仍面临被强制遣返的危险（{{ reference }}）",
        asks="""
            我们{% if previous_letter_on %}曾于{{ previous_letter_on }}{% else %}此前曾{% endif %}就{% if is_group %}{{ group_size }}名朝鲜人（{{ composition }}）{% else %}{{ name }}{% endif %}致函，但至今未获回复。由于危险仍未解除，我们再次致函，恳请您：
            - 停止强制遣返朝鲜；
            - 允许联合国难民署接触，并允许其安全前往第三国；
            - 告知我们{% if is_group %}他们{% else %}{{ name }}{% endif %}目前的情况。
        """,
        facts="""
            据我们所知，目前状况：{{ current_status }}{% if facility %}（{% if province %}{{ province }}{% endif %}{{ facility }}）{% endif %}。
            {% if planned_on %}据报，当局计划于{{ planned_on }}将其转移或遣返。{% endif %}
            {{ additional_facts }}
        """,
        risk="""
            我们所陈述的危险并未改变：正如2014年联合国朝鲜人权调查委员会所认定的，被遣返朝鲜的人会遭受酷刑、被关进劳改营，甚至遭受更严重的迫害。
        """,
        legal_basis="我们谨再次提请注意：\n" + _BASES_LIST["zh"],
        closing="""
            恳请您{% if deadline %}在{{ deadline }}之前{% endif %}回复。
            此致
            敬礼
        """,
    ),  # fmt: skip
]


def recipients_load(model) -> int:
    for row in RECIPIENTS:
        key = {"title": row["title"], "institution": row["institution"]}
        model.objects.update_or_create(**key, defaults=row)
    return len(RECIPIENTS)


def templates_load(model) -> int:
    for row in TEMPLATES:
        key = {"slug": row["slug"], "language": row["language"]}
        model.objects.update_or_create(**key, defaults=row)
    return len(TEMPLATES)
