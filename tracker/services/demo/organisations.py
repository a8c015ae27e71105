"""Demo organisations (partners and others) and contacts in the institutions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from tracker.store import Tx
from tracker.store.bulk import insert_columns, next_ids

from .vocabulary import COUNTRIES, FIRST, INSTITUTIONS, LAST, ORG_KINDS, ORG_PREFIXES, ROLES
from .world import World


def build_organisations(tx: Tx, world: World) -> int:
    rng, stamp = world.rng, world.stamp
    n_orgs = 60 * world.k
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
    world.org_ids = org_ids
    world.partner_ids = [oid for oid, p in zip(orgs["id"], orgs["is_partner"], strict=True) if p]
    return n_orgs


def build_contacts(tx: Tx, world: World) -> int:
    rng, stamp = world.rng, world.stamp
    n_contacts = 40 * world.k
    contact_ids = next_ids(tx, "contacts", n_contacts)
    contacts: dict[str, list[Any]] = defaultdict(list)
    for cid in contact_ids:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        institution = rng.choice(INSTITUTIONS)
        contacts["id"].append(cid)
        contacts["name"].append(f"{first} {last}")
        contacts["role"].append(rng.choice(ROLES))
        contacts["institution"].append(institution)
        contacts["organisation_id"].append(rng.choice(world.org_ids) if rng.random() < 0.3 else None)
        contacts["email"].append(
            f"{first.lower()}.{last.lower()}@{'ec.europa.eu' if institution.startswith('DG') else 'example.eu'}"
        )
        contacts["created_at"].append(stamp - dt.timedelta(days=1000))
    insert_columns(tx, "contacts", contacts)
    world.contact_ids = contact_ids
    return n_contacts
