"""Realistic demo data for a MedTech/health cluster and its partners.

Identical output for the same seed and today. Scale S is about 40 issues with full stage
histories; M is about 10× and L about 100× (for benchmarks). Rows are built in Python and
written set-wise, so L generates in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tracker.domain.enums import (
    INFLUENCING_ACTIVITY_TYPES,
    ConsultationType,
    JointPositionStatus,
    Level,
    Lifecycle,
    PolicyCycle,
    Position,
    Priority,
    ReferenceKind,
    ResponseStatus,
    Role,
    SignatoryStatus,
    Stage,
)
from tracker.store import Database
from tracker.store.bulk import insert_columns, next_ids

from .accounts import hash_password

SCALES = {"S": 1, "M": 10, "L": 100}
# Activities grow faster than issues: the L benchmark wants a realistic 200,000-row log.
ACTIVITIES = {1: 400, 10: 4_000, 100: 200_000}
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password

POLICY_AREAS = [
    "Public health",
    "Single market",
    "Digital economy and society",
    "Research and innovation",
    "Environment",
    "Industrial strategy",
    "Regional policy",
    "Employment and social affairs",
    "Economy, finance and the euro",
    "Trade",
]
MEMBER_SEGMENTS = [
    "Medical device SMEs",
    "Diagnostics companies",
    "Digital health start-ups",
    "Hospitals and care providers",
    "Pharma and biotech",
    "Research institutes",
    "Contract manufacturers",
]
FUNDING_SOURCES = [
    "Membership fees",
    "Single Market Programme (COSME) grant",
    "Horizon Europe project",
    "Regional funding (ERDF)",
    "Paid services",
]
ACTIVITY_TYPES = [
    "Briefing",
    "Newsletter",
    "Member webinar",
    "Survey",
    "Event",
    "Position paper",
    "Meeting",
    "Letter",
    "Consultation response",
    "Hearing",
    "Expert group",
    "Media",
]
ORGANISATION_TYPES = [
    "Cluster",
    "Member company",
    "Association",
    "Research body",
    "Public authority",
    "NGO",
    "Hospital",
]

ISSUE_TOPICS: list[tuple[str, str, Level, str]] = [
    ("Medical Devices Regulation: transition deadlines", "Public health", Level.EU, "2023/0005(COD)"),
    ("IVDR: capacity of notified bodies for diagnostics", "Public health", Level.EU, "2021/0323(COD)"),
    ("European Health Data Space: secondary use of data", "Digital economy and society", Level.EU, "2022/0140(COD)"),
    ("AI Act: high-risk classification of medical AI", "Digital economy and society", Level.EU, "2021/0106(COD)"),
    ("Pharmaceutical package: regulatory data protection", "Public health", Level.EU, "2023/0132(COD)"),
    ("Critical Medicines Act: supply security", "Public health", Level.EU, "2025/0102(COD)"),
    ("PFAS restriction under REACH: medical exemptions", "Environment", Level.EU, "ECHA restriction dossier"),
    ("Cyber Resilience Act: connected medical devices", "Digital economy and society", Level.EU, "2022/0272(COD)"),
    ("Public procurement directives: value-based procurement", "Single market", Level.EU, "Evaluation 2024"),
    ("Horizon Europe Cluster 1 health work programme", "Research and innovation", Level.EU, "WP 2026-2027"),
    ("EU4Health programme priorities", "Public health", Level.EU, "EU4Health AWP"),
    ("Smart specialisation strategy for life sciences", "Regional policy", Level.REGIONAL, "RIS3 review"),
    (
        "Health Technology Assessment: joint clinical assessments for devices",
        "Public health",
        Level.EU,
        "Regulation (EU) 2021/2282",
    ),
    ("Packaging and Packaging Waste Regulation: medical packaging", "Environment", Level.EU, "2022/0396(COD)"),
    ("Ecodesign for Sustainable Products: single-use devices", "Environment", Level.EU, "2022/0095(COD)"),
    ("Late Payment Regulation: hospital payment terms", "Single market", Level.EU, "2023/0323(COD)"),
    ("SME definition revision: mid-caps in MedTech", "Industrial strategy", Level.EU, "SME relief package"),
    ("Product Liability Directive: software as a product", "Single market", Level.EU, "2022/0302(COD)"),
    ("EU Biotech Act", "Industrial strategy", Level.EU, "Commission work programme 2026"),
    ("Life sciences strategy for Europe", "Research and innovation", Level.EU, "COM(2025) 525"),
    ("Clinical Trials Regulation: faster multinational trials", "Public health", Level.EU, "Regulation (EU) 536/2014"),
    ("Ethylene oxide sterilisation: emission limits", "Environment", Level.EU, "IED review"),
    ("Reprocessing of single-use devices", "Public health", Level.NATIONAL, "National transposition"),
    (
        "Reimbursement pathway for digital health applications",
        "Public health",
        Level.NATIONAL,
        "National health insurance act",
    ),
    (
        "Regional hospital innovation procurement fund",
        "Regional policy",
        Level.REGIONAL,
        "Regional operational programme",
    ),
    ("Skills partnership for MedTech technicians", "Employment and social affairs", Level.REGIONAL, "Pact for Skills"),
    ("Interoperable Europe Act: health data standards", "Digital economy and society", Level.EU, "2022/0379(COD)"),
    ("Data Act: access to device-generated data", "Digital economy and society", Level.EU, "2022/0047(COD)"),
    ("Critical Raw Materials Act: medical isotopes", "Industrial strategy", Level.EU, "2023/0079(COD)"),
    ("WHO pandemic agreement: medical countermeasures", "Public health", Level.INTERNATIONAL, "WHO INB"),
    ("EU–US trade: mutual recognition of conformity assessment", "Trade", Level.INTERNATIONAL, "TTC working group"),
    ("Single Market Emergency Instrument: supply chains", "Single market", Level.EU, "2022/0278(COD)"),
    ("State aid: IPCEI for health", "Economy, finance and the euro", Level.EU, "IPCEI Med4Cure"),
    ("National MedTech strategy", "Industrial strategy", Level.NATIONAL, "Ministry of Economy"),
    ("Regional innovation vouchers for SMEs", "Regional policy", Level.REGIONAL, "Regional council decision"),
    ("Green public procurement criteria for hospitals", "Environment", Level.EU, "GPP criteria revision"),
    ("Cohesion policy post-2027: innovation ecosystems", "Regional policy", Level.EU, "MFF 2028-2034"),
    (
        "European Innovation Act: regulatory sandboxes",
        "Research and innovation",
        Level.EU,
        "Commission work programme 2026",
    ),
    (
        "Standardisation Regulation: harmonised standards for devices",
        "Single market",
        Level.EU,
        "2022 standardisation strategy",
    ),
    ("Medical devices: notified body fees for SMEs", "Public health", Level.EU, "MDCG guidance"),
]
VARIANTS = [
    "implementing act",
    "delegated act",
    "national transposition",
    "guidance",
    "review",
    "regional follow-up",
    "evaluation",
    "work programme item",
]

ORG_PREFIXES = [
    "Rhine",
    "Nordic",
    "Baltic",
    "Alpine",
    "Danube",
    "Flanders",
    "Catalonia",
    "Lombardy",
    "Bavaria",
    "Brittany",
    "Silesia",
    "Andalusia",
    "Saxony",
    "Wallonia",
    "Tuscany",
    "Zealand",
    "Carinthia",
    "Moravia",
    "Galicia",
    "Basque",
    "Scania",
    "Oulu",
    "Porto",
    "Ljubljana",
    "Debrecen",
    "Tartu",
    "Cork",
    "Malta",
    "Cyprus",
    "Luxembourg",
]
ORG_KINDS = [
    ("MedTech Cluster", "Cluster"),
    ("Health Innovation Cluster", "Cluster"),
    ("Life Sciences Association", "Association"),
    ("University Hospital", "Hospital"),
    ("Institute of Biomedical Engineering", "Research body"),
    ("Diagnostics GmbH", "Member company"),
    ("Regional Development Agency", "Public authority"),
    ("Patients' Network", "NGO"),
    ("Digital Health Hub", "Cluster"),
    ("Devices SA", "Member company"),
]
COUNTRIES = {
    "Rhine": "Germany",
    "Nordic": "Denmark",
    "Baltic": "Lithuania",
    "Alpine": "Austria",
    "Danube": "Hungary",
    "Flanders": "Belgium",
    "Catalonia": "Spain",
    "Lombardy": "Italy",
    "Bavaria": "Germany",
    "Brittany": "France",
    "Silesia": "Poland",
    "Andalusia": "Spain",
    "Saxony": "Germany",
    "Wallonia": "Belgium",
    "Tuscany": "Italy",
    "Zealand": "Denmark",
    "Carinthia": "Austria",
    "Moravia": "Czechia",
    "Galicia": "Spain",
    "Basque": "Spain",
    "Scania": "Sweden",
    "Oulu": "Finland",
    "Porto": "Portugal",
    "Ljubljana": "Slovenia",
    "Debrecen": "Hungary",
    "Tartu": "Estonia",
    "Cork": "Ireland",
    "Malta": "Malta",
    "Cyprus": "Cyprus",
    "Luxembourg": "Luxembourg",
}
INSTITUTIONS = [
    "DG SANTE",
    "DG GROW",
    "DG CNECT",
    "DG RTD",
    "DG ENV",
    "DG REGIO",
    "European Parliament ENVI committee",
    "European Parliament ITRE committee",
    "European Parliament IMCO committee",
    "Ministry of Health",
    "Ministry of Economy",
    "Regional government",
    "Council working party on pharmaceuticals and medical devices",
]
FIRST = [
    "Anna",
    "Luca",
    "Marta",
    "Jan",
    "Sofia",
    "Pieter",
    "Elena",
    "Tomas",
    "Ines",
    "Mikkel",
    "Clara",
    "Andrei",
    "Julia",
    "Matteo",
    "Eva",
    "Karl",
    "Noor",
    "Pablo",
    "Zofia",
    "Hugo",
]
LAST = [
    "Keller",
    "Rossi",
    "Nowak",
    "Jansen",
    "Dubois",
    "Schmidt",
    "Garcia",
    "Novak",
    "Virtanen",
    "Silva",
    "Horvat",
    "Papadopoulos",
    "Murphy",
    "Lindqvist",
    "Kowalski",
    "Moreau",
    "Bauer",
    "Costa",
    "Varga",
    "Ionescu",
]
ROLES = [
    "Policy officer",
    "Head of unit",
    "Rapporteur",
    "Shadow rapporteur",
    "Adviser",
    "Director",
    "Parliamentary assistant",
    "Deputy head of unit",
]
STAFF = [
    ("officer", "Olivia Officer", Role.EDITOR),
    ("director", "Daniel Director", Role.VIEWER),
    ("admin", "Ada Admin", Role.ADMIN),
]
OWNERS = [("m.dubois", "Marie Dubois"), ("k.nowak", "Karol Nowak"), ("s.jansen", "Sanne Jansen")]

EVIDENCE = {
    Stage.WATCHING: ("Commission initiative page", "https://ec.europa.eu/info/law/better-regulation/have-your-say"),
    Stage.AWARENESS: ("Member briefing and newsletter item", None),
    Stage.POSITIONING: ("Position note approved by the board", None),
    Stage.FORMAL_INPUT: (
        "Consultation response, feedback reference F{n}",
        "https://ec.europa.eu/info/law/better-regulation/have-your-say",
    ),
    Stage.ACTIVE_INFLUENCING: ("Meeting with the rapporteur's office", None),
    Stage.POLICY_UPTAKE: ("Amendment tabled reflecting our ask", "https://www.europarl.europa.eu/"),
}


@dataclass
class DemoSummary:
    issues: int
    stage_events: int
    consultations: int
    joint_positions: int
    organisations: int
    contacts: int
    activities: int

    def __str__(self) -> str:
        return (
            f"{self.issues:,} issues, {self.stage_events:,} stage events, {self.consultations:,} "
            f"consultations, {self.joint_positions:,} joint positions, {self.organisations:,} "
            f"organisations, {self.contacts:,} contacts, {self.activities:,} activities"
        )


def generate(db: Database, *, scale: str = "S", seed: int = 7, today: dt.date) -> DemoSummary:
    """Fill an empty database with demo data and the demo accounts."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    k = SCALES[scale]
    rng = random.Random(f"{seed}-{scale}-{today.isoformat()}")
    stamp = dt.datetime.combine(today, dt.time(9, 0))
    # Hash outside the transaction: argon2 is deliberately slow.
    demo_hash = hash_password(DEMO_PASSWORD)
    owner_hash = hash_password(f"{rng.random()}-{seed}-locked")

    def work(tx):  # type: ignore[no-untyped-def]
        return _build(tx, rng, k, today, stamp, demo_hash, owner_hash)

    return db.write(work)


def _build(
    tx,
    rng: random.Random,
    k: int,
    today: dt.date,
    stamp: dt.datetime,  # type: ignore[no-untyped-def]
    demo_hash: str,
    owner_hash: str,
) -> DemoSummary:
    # ---------------------------------------------------------- accounts and reference lists
    insert_columns(
        tx,
        "users",
        {
            "username": [u for u, _, _ in STAFF] + [u for u, _ in OWNERS],
            "display_name": [n for _, n, _ in STAFF] + [n for _, n in OWNERS],
            "email": [f"{u}@cluster.example" for u, _, _ in STAFF] + [f"{u}@cluster.example" for u, _ in OWNERS],
            "role": [r.value for _, _, r in STAFF] + [Role.EDITOR.value] * len(OWNERS),
            "password_hash": [demo_hash] * len(STAFF) + [owner_hash] * len(OWNERS),
            "is_demo": [True] * (len(STAFF) + len(OWNERS)),
        },
    )
    owners = ["officer"] + [u for u, _ in OWNERS]
    refs: list[tuple[str, str, int]] = []
    for kind, values in (
        (ReferenceKind.POLICY_AREA, POLICY_AREAS),
        (ReferenceKind.MEMBER_SEGMENT, MEMBER_SEGMENTS),
        (ReferenceKind.FUNDING_SOURCE, FUNDING_SOURCES),
        (ReferenceKind.ACTIVITY_TYPE, ACTIVITY_TYPES),
        (ReferenceKind.ORGANISATION_TYPE, ORGANISATION_TYPES),
    ):
        refs += [(kind.value, v, i) for i, v in enumerate(values)]
    insert_columns(
        tx,
        "reference_values",
        {"kind": [r[0] for r in refs], "value": [r[1] for r in refs], "position": [r[2] for r in refs]},
    )

    # ---------------------------------------------------------- organisations and contacts
    n_orgs = 60 * k
    org_ids = next_ids(tx, "organisations", n_orgs)
    orgs: dict[str, list[Any]] = defaultdict(list)
    seen_names: set[str] = set()
    for i, oid in enumerate(org_ids):
        prefix = ORG_PREFIXES[i % len(ORG_PREFIXES)]
        org_kind, otype = ORG_KINDS[(i // len(ORG_PREFIXES)) % len(ORG_KINDS)]
        name = f"{prefix} {org_kind}"
        if name in seen_names:
            name = f"{name} {i // (len(ORG_PREFIXES) * len(ORG_KINDS)) + 1}"
        seen_names.add(name)
        is_partner = otype in ("Cluster", "Association") or rng.random() < 0.15
        orgs["id"].append(oid)
        orgs["name"].append(name)
        orgs["type"].append(otype)
        orgs["country"].append(COUNTRIES[prefix])
        orgs["transparency_register"].append(
            f"{rng.randrange(10**11, 10**12)}-{rng.randrange(10, 100)}" if rng.random() < 0.6 else None
        )
        orgs["is_partner"].append(is_partner)
        orgs["website"].append(f"https://www.{prefix.lower()}-{org_kind.split()[0].lower()}.example.eu")
        orgs["created_at"].append(stamp - dt.timedelta(days=1100))
    insert_columns(tx, "organisations", orgs)
    partner_ids = [oid for oid, p in zip(orgs["id"], orgs["is_partner"], strict=True) if p]

    n_contacts = 40 * k
    contact_ids = next_ids(tx, "contacts", n_contacts)
    contacts: dict[str, list[Any]] = defaultdict(list)
    for cid in contact_ids:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        institution = rng.choice(INSTITUTIONS)
        contacts["id"].append(cid)
        contacts["name"].append(f"{first} {last}")
        contacts["role"].append(rng.choice(ROLES))
        contacts["institution"].append(institution)
        contacts["organisation_id"].append(rng.choice(org_ids) if rng.random() < 0.3 else None)
        contacts["email"].append(
            f"{first.lower()}.{last.lower()}@{'ec.europa.eu' if institution.startswith('DG') else 'example.eu'}"
        )
        contacts["created_at"].append(stamp - dt.timedelta(days=1000))
    insert_columns(tx, "contacts", contacts)

    # ---------------------------------------------------------- issues and their ladder history
    n_issues = 50 * k
    issue_ids = next_ids(tx, "issues", n_issues)
    issues: dict[str, list[Any]] = defaultdict(list)
    events: dict[str, list[Any]] = defaultdict(list)
    final_stage: dict[int, int] = {}
    issue_start: dict[int, dt.date] = {}
    for i, iid in enumerate(issue_ids):
        title, area, level, ref = ISSUE_TOPICS[i % len(ISSUE_TOPICS)]
        round_ = i // len(ISSUE_TOPICS)
        if round_:
            title = f"{title} — {VARIANTS[round_ % len(VARIANTS)]} {round_ // len(VARIANTS) + 1}"
        start = today - dt.timedelta(days=rng.randint(60, 3 * 365))
        stage, day, history = _walk(rng, start, today)
        lifecycle = _lifecycle(rng, stage)
        relevance = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 4, 3])[0]
        archived = lifecycle in (Lifecycle.DROPPED, Lifecycle.LOST) and rng.random() < 0.4
        last_day = history[-1][1]
        issues["id"].append(iid)
        issues["title"].append(title)
        issues["summary"].append(
            f"Tracks {title.split(':')[0]} and its effect on our members. The cluster wants the final text to "
            f"keep compliance costs proportionate for SMEs.\n\nSee the initiative page for the current draft."
        )
        issues["policy_area"].append(area)
        issues["level"].append(level.value)
        issues["policy_reference"].append(ref)
        issues["reference_url"].append(
            "https://ec.europa.eu/info/law/better-regulation/have-your-say" if level == Level.EU else None
        )
        issues["policy_cycle"].append(rng.choice(list(PolicyCycle)).value)
        issues["owner"].append(owners[i % len(owners)])
        issues["priority"].append(rng.choices(list(Priority), weights=[3, 5, 2])[0].value)
        issues["position"].append(rng.choices(list(Position), weights=[4, 2, 5, 1])[0].value)
        issues["ask"].append("Proportionate requirements and longer transition periods for SMEs.")
        issues["member_relevance"].append(relevance)
        issues["member_segments"].append(rng.sample(MEMBER_SEGMENTS, rng.randint(1, 3)))
        issues["why_it_matters"].append(
            "Members face new certification costs and delays in bringing products to market."
        )
        issues["target_stage"].append(rng.choice([3, 4, 4, 5]))
        issues["lifecycle"].append(lifecycle.value)
        review = (
            today + dt.timedelta(days=rng.randint(-20, 90))
            if lifecycle in (Lifecycle.ACTIVE, Lifecycle.PAUSED)
            else None
        )
        issues["next_review"].append(review)
        issues["tags"].append(
            rng.sample(
                [
                    "MDR",
                    "SMEs",
                    "digital",
                    "funding",
                    "sustainability",
                    "supply chain",
                    "data",
                    "procurement",
                    "skills",
                    "regional",
                ],
                rng.randint(0, 3),
            )
        )
        created = dt.datetime.combine(start, dt.time(10, 0))
        issues["created_at"].append(created)
        issues["created_by"].append(owners[i % len(owners)])
        issues["updated_at"].append(dt.datetime.combine(last_day, dt.time(16, 0)))
        issues["updated_by"].append(owners[i % len(owners)])
        issues["archived_at"].append(
            dt.datetime.combine(min(today, last_day + dt.timedelta(days=30)), dt.time(12, 0)) if archived else None
        )
        issues["version"].append(len(history))
        final_stage[iid] = stage
        issue_start[iid] = start
        prev: int | None = None
        for n, (to, when) in enumerate(history):
            ref_text, url = EVIDENCE[Stage(to)]
            down = prev is not None and to < prev
            events["issue_id"].append(iid)
            events["from_stage"].append(prev)
            events["to_stage"].append(to)
            events["event_date"].append(when)
            events["author"].append(owners[i % len(owners)])
            events["note"].append(
                "Moved back: the file was reopened after the trilogue stalled."
                if down
                else ("Issue identified and owner set." if prev is None else f"Reached {Stage(to).label}.")
            )
            events["evidence_ref"].append(ref_text.format(n=rng.randrange(10**6, 10**7)) if not down else None)
            events["evidence_url"].append(url if not down else None)
            events["recorded_at"].append(dt.datetime.combine(when, dt.time(17, 0)) + dt.timedelta(seconds=n))
            prev = to
    insert_columns(tx, "issues", issues)
    title_of = dict(zip(issue_ids, issues["title"], strict=True))
    area_of = dict(zip(issue_ids, issues["policy_area"], strict=True))
    events["id"] = next_ids(tx, "stage_events", len(events["issue_id"]))
    insert_columns(tx, "stage_events", events)

    # ---------------------------------------------------------- joint positions and signatories
    n_jp = 8 * k
    jp_ids = next_ids(tx, "joint_positions", n_jp)
    jps: dict[str, list[Any]] = defaultdict(list)
    jp_links: dict[str, list[Any]] = defaultdict(list)
    sigs: dict[str, list[Any]] = defaultdict(list)
    jp_of_issue: dict[int, int] = {}
    for j, jid in enumerate(jp_ids):
        iid = issue_ids[(j * 5) % n_issues]
        status = rng.choices(list(JointPositionStatus), weights=[1, 2, 2, 1, 4])[0]
        # Recent work is denser than old work, so "this quarter" has something to show.
        ago = int(rng.triangular(3, 700, 3))
        published = today - dt.timedelta(days=ago) if status == JointPositionStatus.PUBLISHED else None
        title = title_of[iid]
        jps["id"].append(jid)
        jps["title"].append(f"Joint position: {title.split(':')[0]}")
        jps["summary"].append("Partner clusters call for proportionate rules that keep SMEs in the market.")
        jps["status"].append(status.value)
        jps["lead_organisation_id"].append(rng.choice(partner_ids))
        jps["target_institution"].append(
            rng.choice(["European Commission", "European Parliament", "Council of the EU", "Ministry of Health"])
        )
        jps["published_on"].append(published)
        jps["document_url"].append(f"https://www.cluster.example/positions/{jid}.pdf" if published else None)
        jps["created_at"].append(stamp - dt.timedelta(days=rng.randint(30, 800)))
        jp_links["joint_position_id"].append(jid)
        jp_links["issue_id"].append(iid)
        jp_of_issue[iid] = jid
        base_day = published or today - dt.timedelta(days=rng.randint(1, 60))
        for n, oid in enumerate(rng.sample(partner_ids, min(len(partner_ids), rng.randint(3, 7)))):
            s = (
                rng.choices(list(SignatoryStatus), weights=[1, 6, 1, 0.3])[0]
                if status.rank >= JointPositionStatus.CIRCULATING.rank
                else SignatoryStatus.INVITED
            )
            if n == 0 and status == JointPositionStatus.PUBLISHED:
                s = SignatoryStatus.AGREED  # a published position has at least one agreed signatory
            sigs["joint_position_id"].append(jid)
            sigs["organisation_id"].append(oid)
            sigs["status"].append(s.value)
            sigs["status_date"].append(base_day - dt.timedelta(days=rng.randint(0, 30)))
    insert_columns(tx, "joint_positions", jps)
    insert_columns(tx, "joint_position_issues", jp_links)
    sigs["id"] = next_ids(tx, "signatories", len(sigs["status"]))
    insert_columns(tx, "signatories", sigs)

    # ---------------------------------------------------------- consultations
    n_cons = 18 * k
    cons_ids = next_ids(tx, "consultations", n_cons)
    cons: dict[str, list[Any]] = defaultdict(list)
    cons_links: dict[str, list[Any]] = defaultdict(list)
    windows = {
        ConsultationType.CALL_FOR_EVIDENCE: 28,
        ConsultationType.PUBLIC_CONSULTATION: 84,
        ConsultationType.FEEDBACK_ON_PROPOSAL: 56,
        ConsultationType.DRAFT_ACT: 28,
        ConsultationType.NATIONAL: 42,
    }
    for c, cid in enumerate(cons_ids):
        ctype = rng.choice(list(ConsultationType))
        # A third are open or upcoming relative to today; the rest closed in the last two years.
        if c % 3 == 0:
            # In turn, so every demo has deadlines inside 3 and 14 days and further out.
            closes = today + dt.timedelta(days=(2, 6, 10, 13, 20, 27, 35, 48, 70)[(c // 3) % 9])
        else:
            closes = today - dt.timedelta(days=int(rng.triangular(3, 730, 3)))
        opens = closes - dt.timedelta(days=windows[ctype])
        iid = issue_ids[(c * 3) % n_issues]
        if closes >= today:
            response = rng.choice([ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING, ResponseStatus.DRAFTING])
        else:
            response = rng.choices(
                [ResponseStatus.SUBMITTED, ResponseStatus.SKIPPED, ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING],
                weights=[6, 1, 1, 1],
            )[0]
        title = title_of[iid].split(":")[0]
        cons["id"].append(cid)
        cons["title"].append(f"{title} — {ctype.label.lower()}")
        cons["authority"].append(
            "Ministry of Health"
            if ctype == ConsultationType.NATIONAL
            else rng.choice(
                [
                    "European Commission — DG SANTE",
                    "European Commission — DG GROW",
                    "European Commission — DG CNECT",
                    "European Commission — DG ENV",
                ]
            )
        )
        cons["policy_areas"].append([area_of[iid]])
        cons["type"].append(ctype.value)
        cons["reference"].append(f"Ares(20{rng.randint(24, 26)}){rng.randrange(10**6, 10**7)}")
        cons["url"].append("https://ec.europa.eu/info/law/better-regulation/have-your-say")
        cons["opens"].append(opens)
        cons["closes"].append(closes)
        cons["response_status"].append(response.value)
        submitted = closes - dt.timedelta(days=rng.randint(0, 10)) if response == ResponseStatus.SUBMITTED else None
        cons["submitted_on"].append(submitted)
        cons["feedback_reference"].append(f"F{rng.randrange(10**6, 10**7)}" if submitted else None)
        cons["joint_position_id"].append(jp_of_issue.get(iid))
        cons["created_at"].append(dt.datetime.combine(opens, dt.time(9, 0)))
        cons_links["consultation_id"].append(cid)
        cons_links["issue_id"].append(iid)
    insert_columns(tx, "consultations", cons)
    insert_columns(tx, "consultation_issues", cons_links)

    # ---------------------------------------------------------- activities
    n_act = ACTIVITIES[k]
    act_ids = next_ids(tx, "activities", n_act)
    acts: dict[str, list[Any]] = defaultdict(list)
    a_issues: dict[str, list[Any]] = defaultdict(list)
    a_orgs: dict[str, list[Any]] = defaultdict(list)
    a_contacts: dict[str, list[Any]] = defaultdict(list)
    for aid in act_ids:
        iid = rng.choice(issue_ids)
        start = issue_start[iid]
        day = start + dt.timedelta(days=rng.randint(0, max(0, (today - start).days)))
        # Influencing work grows with the rung an issue reached.
        influencing_share = 0.1 + 0.15 * final_stage[iid]
        if rng.random() < influencing_share:
            atype = rng.choice(sorted(INFLUENCING_ACTIVITY_TYPES))
        else:
            atype = rng.choice([t for t in ACTIVITY_TYPES if t not in INFLUENCING_ACTIVITY_TYPES])
        acts["id"].append(aid)
        acts["activity_date"].append(day)
        acts["type"].append(atype)
        acts["summary"].append(f"{atype} on {title_of[iid][:60]}")
        acts["outcome"].append(
            rng.choice(
                [
                    None,
                    "Members informed",
                    "Follow-up meeting agreed",
                    "Our amendment was noted",
                    "Position shared with partners",
                ]
            )
        )
        acts["is_influencing"].append(atype in INFLUENCING_ACTIVITY_TYPES)
        acts["effort_days"].append(rng.choice([0.25, 0.5, 0.5, 1, 1, 1.5, 2, 3]))
        acts["funding_source"].append(rng.choices(FUNDING_SOURCES, weights=[6, 2, 2, 2, 1])[0])
        acts["follow_up"].append(day + dt.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.2 else None)
        acts["created_by"].append(rng.choice(owners))
        acts["created_at"].append(dt.datetime.combine(day, dt.time(18, 0)))
        a_issues["activity_id"].append(aid)
        a_issues["issue_id"].append(iid)
        for oid in rng.sample(org_ids, rng.randint(0, 2)):
            a_orgs["activity_id"].append(aid)
            a_orgs["organisation_id"].append(oid)
        if atype in INFLUENCING_ACTIVITY_TYPES and rng.random() < 0.6:
            a_contacts["activity_id"].append(aid)
            a_contacts["contact_id"].append(rng.choice(contact_ids))
    insert_columns(tx, "activities", acts)
    insert_columns(tx, "activity_issues", a_issues)
    insert_columns(tx, "activity_organisations", a_orgs)
    insert_columns(tx, "activity_contacts", a_contacts)
    tx.audit("system", "database", None, "demo data", {"scale": [None, k], "today": [None, today.isoformat()]})
    return DemoSummary(n_issues, len(events["issue_id"]), n_cons, n_jp, n_orgs, n_contacts, n_act)


def _walk(rng: random.Random, start: dt.date, today: dt.date) -> tuple[int, dt.date, list[tuple[int, dt.date]]]:
    """A plausible ladder history, never in the future: each rung is harder to climb and easier
    to slip from than the one below, so most issues sit mid-ladder and few reach uptake."""
    history = [(0, start)]
    stage, day = 0, start
    while True:
        day = day + dt.timedelta(days=rng.randint(7, 45))
        if day > today:
            break
        r = rng.random()
        down = 0.12 + 0.04 * stage if stage > 0 else 0.0
        up = 0.42 - 0.07 * stage
        if r < down:
            stage -= 1
        elif r < down + up and stage < 5:
            stage += 1
        else:
            continue
        history.append((stage, day))
    return stage, history[-1][1], history


def _lifecycle(rng: random.Random, stage: int) -> Lifecycle:
    if stage == 5:
        return rng.choice([Lifecycle.WON, Lifecycle.WON, Lifecycle.ACTIVE])
    return rng.choices([Lifecycle.ACTIVE, Lifecycle.PAUSED, Lifecycle.LOST, Lifecycle.DROPPED], weights=[16, 2, 1, 1])[
        0
    ]
