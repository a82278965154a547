"""Pure rules of the incentives area: no ORM, plain values in and out."""

import re

# Hardship aid (DESIGN §6): application → township review → county approval → paid.
AID_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "applied": ("township_approved", "township_rejected"),
    "township_approved": ("county_approved", "county_rejected"),
    "county_approved": ("paid",),
    "township_rejected": (),
    "county_rejected": (),
    "paid": (),
}
# Which step each role takes: the township reviews, the county approves, the payment follows approval.
AID_STAGE = {
    "township_approved": "township",
    "township_rejected": "township",
    "county_approved": "county",
    "county_rejected": "county",
    "paid": "payment",
}

# The posts that receive a collective honour of their village (DESIGN §5: "the secretary and director").
COLLECTIVE_HONOUR_POSTS = frozenset({"party_secretary", "director"})

_REGION_PREFIX = re.compile(r"^(全国|全省|全市|全县|全镇|国家|省|市|县|镇)")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def aid_transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in AID_TRANSITIONS.get(from_status, ())


def honour_key(title: str, year: int) -> str:
    """Identifies "the same honour" across levels: the title without spaces, punctuation and the
    leading region word (全县/全市/省 ...), plus the year. "全县优秀党务工作者" and "全市 优秀党务工作者"
    of the same year are the same honour, so the promotion rules count only the higher level."""
    core = _NOISE.sub("", title)
    core = _REGION_PREFIX.sub("", core)
    return f"{core.lower()}:{year}"
