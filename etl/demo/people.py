"""Fake requesters: names, phone numbers, CNICs and e-mail addresses, and the referral office.

Fake on purpose: names from lists of common names (a profile handle for
social-media commenters of unknown gender), phone numbers ``03xx-00xxxxx``
(the ``00`` block is not issued), CNICs ``xxxxx-0000xxx-x``, addresses at
the reserved ``example.*`` domains. How often each detail is given depends
on the channel (a caller leaves a number, a letter a CNIC).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core import vocab
from etl.demo.reference import Districts
from etl.demo.sampling import choice, digits, objects, per_channel
from etl.demo.summaries import summaries
from etl.demo.vocabulary import (
    CNIC_PREFIXES,
    EMAIL_DOMAINS,
    FAMILY_NAMES,
    FEMALE_FAMILY,
    FEMALE_NAMES,
    HANDLES,
    MALE_NAMES,
    MOBILE_PREFIXES,
    TRANS_NAMES,
)

# Share of items with each detail, by channel (the rest: the default).
PHONE_SHARE = (
    {"WhatsApp": 1.0, "Helpline phone": 0.97, "Toll-free 0800": 0.97, "SMS 8855": 1.0,
     "Walk-in": 0.8, "Pakistan Citizen Portal": 0.7, "Letter": 0.3, "Email": 0.2,
     "Web portal": 0.5, "RTI request": 0.5},
    0.06,
)  # fmt: skip
CNIC_SHARE = (
    {"Walk-in": 0.6, "Pakistan Citizen Portal": 0.5, "Letter": 0.4, "RTI request": 0.7,
     "Helpline phone": 0.15, "Toll-free 0800": 0.15},
    0.01,
)  # fmt: skip
EMAIL_SHARE = (
    {"Email": 1.0, "Web portal": 0.8, "Pakistan Citizen Portal": 0.4, "RTI request": 0.3},
    0.005,
)


def people(rng: np.random.Generator, ref: Districts, items: pd.DataFrame) -> pd.DataFrame:
    """Fake requester details, summaries and referral offices (draws in this order)."""
    n = len(items)
    channel = items["channel"].to_numpy(object)
    gender = items["requester_gender"].to_numpy(object)
    name = _names(rng, channel, gender)
    number = rng.integers(0, 100000, size=n)
    phone = choice(rng, MOBILE_PREFIXES, n) + "-00" + digits(number, 5)
    phone = np.where(rng.random(n) < per_channel(channel, *PHONE_SHARE), phone, "")
    cnic = _cnics(rng, gender, per_channel(channel, *CNIC_SHARE))
    email = _emails(rng, name, number, per_channel(channel, *EMAIL_SHARE))
    office = _referral_offices(rng, ref, items)
    return pd.DataFrame(
        {
            "summary": objects(summaries(rng, items)),
            "requester_name": objects(name),
            "requester_phone": objects(phone),
            "requester_cnic": objects(cnic),
            "requester_email": objects(email),
            "referred_to": objects(office),
        }
    )


def _names(rng: np.random.Generator, channel: np.ndarray, gender: np.ndarray) -> np.ndarray:
    """A name by gender, a handle for social commenters of unknown gender; some blank."""
    n = len(channel)
    social = np.isin(channel, list(vocab.SOCIAL_CHANNELS - {"WhatsApp"}))
    male = choice(rng, MALE_NAMES, n)
    female = choice(rng, FEMALE_NAMES, n)
    trans = choice(rng, TRANS_NAMES, n)
    family = choice(rng, FAMILY_NAMES, n)
    female_family = choice(rng, FEMALE_FAMILY, n)
    handle = choice(rng, HANDLES, n)
    first = np.where(gender == "female", female, np.where(gender == "transgender", trans, male))
    last = np.where(gender == "female", female_family, family)
    name = first + " " + last
    name = np.where((gender == "unknown") & social, handle, name)
    name_p = np.where(social, 0.85, np.where(channel == "SMS 8855", 0.3, 0.92))
    return np.where(rng.random(n) < name_p, name, "")


def _cnics(rng: np.random.Generator, gender: np.ndarray, share: np.ndarray) -> np.ndarray:
    n = len(gender)
    # The last digit of a CNIC is even for women and odd for men.
    sex_digit = rng.integers(0, 5, size=n) * 2 + np.where(gender == "female", 0, 1)
    cnic = (
        choice(rng, CNIC_PREFIXES, n)
        + "-0000"
        + digits(rng.integers(0, 1000, size=n), 3)
        + "-"
        + sex_digit.astype(str).astype(object)
    )
    return np.where(rng.random(n) < share, cnic, "")


def _emails(
    rng: np.random.Generator, name: np.ndarray, number: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """``first.last123@example.org`` from the name (``citizen`` when blank)."""
    n = len(name)
    stem = np.where(name == "", "citizen", name)
    slugs = {s: re.sub(r"[^a-z0-9]+", ".", s.lower()).strip(".") for s in set(stem)}
    email = (
        pd.Series(stem).map(slugs).to_numpy(object)
        + (number % 1000).astype(str).astype(object)
        + "@"
        + choice(rng, EMAIL_DOMAINS, n)
    )
    return np.where(rng.random(n) < share, email, "")


def _referral_offices(rng: np.random.Generator, ref: Districts, items: pd.DataFrame):
    """The DPO of the district, sometimes the regional RPO; Capital City
    Police Peshawar for Peshawar; blank when the item names no district."""
    district = items["district"].to_numpy(object)
    index = items["district_idx"].to_numpy(int)
    region = np.array([*ref.regions, ""], dtype=object)[index]
    rpo = rng.random(len(items)) < 0.25
    office = np.where(rpo, "RPO " + region, "DPO " + district)
    capital = (region == "CCPO Peshawar") & (rpo | (district == "Peshawar"))
    office = np.where(capital, "CCPO Peshawar", office)
    return np.where(district == "", "", office)
