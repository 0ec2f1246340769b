"""Reserving a pet: a shopper's hold that keeps it `pending` for a while, the holder's cancel, staff's release
and adoption, and the lapse that makes the pet available again by itself.

How a lapse stays true on every read path without a write at the moment it happens:

- `as_of(pet, now)`: a pet read whose reservation has lapsed *is* available (and holds no reservation),
  whatever is stored; every answer goes through it.
- `Lapses.settle(reads)`, before a search, a count or a listing of reservations: the reservations that
  lapsed are released for real (a conditional write each: status back to `available`, the status index
  and the counted items with it), so status searches, totals and the inventory agree with `as_of`. It
  asks the expiry index (`ByReservationExpiry`) only when a lapse may be due: after each look it knows when
  the next reservation lapses and stays quiet until then (at most a minute).
- `Lapses.sweep()`, on a schedule (and in the local stack), releases them even when nobody reads.

Who sees whom: `holder` is shown to the holder and to callers who may write (staff, writer agents), null
to everyone else (`seen_by`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .auth import Principal, require_admin, require_reader
from .clock import Clock, iso, parse_iso, utc_now
from .errors import Conflict, Forbidden, NotFound, PreconditionFailed
from .ids import is_pet_id
from .models import MyReservations, Pet, PetStatus, Reservation
from .reads import Reads
from .store.ports import HolderLimitReached, PetChanged, PetRepository

DEFAULT_HOURS = 48.0
DEFAULT_PER_SHOPPER = 5
WRITE_ATTEMPTS = 5
SETTLE_LIMIT = 10  # lapsed reservations one read releases at most (the sweeper takes any backlog)
QUIET_AT_MOST = timedelta(seconds=60)  # a container looks at the expiry index at least this often while read
MAX_LISTED = 100  # "my reservations" lists at most this many


class PetNotAvailable(Conflict):
    code = "PetNotAvailable"


class ReservationLimitReached(Conflict):
    code = "ReservationLimitReached"


class NoReservation(NotFound):
    code = "NoReservation"


@dataclass(frozen=True)
class ReservationPolicy:
    hold: timedelta = timedelta(hours=DEFAULT_HOURS)
    per_shopper: int = DEFAULT_PER_SHOPPER  # reservations one shopper may hold at once (writers: no limit)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReservationPolicy:
        env = os.environ if environ is None else environ
        hours = float(env.get("RESERVATION_HOURS") or DEFAULT_HOURS)
        per_shopper = int(env.get("RESERVATIONS_PER_SHOPPER") or DEFAULT_PER_SHOPPER)
        if not 0 < hours <= 24 * 365 or per_shopper < 1:
            raise RuntimeError("RESERVATION_HOURS must be above 0 (at most a year) and RESERVATIONS_PER_SHOPPER at least 1")
        return cls(timedelta(hours=hours), per_shopper)


# ---------------------------------------------------------------------- a pet as someone sees it now
def lapsed(pet: Pet, now: datetime) -> bool:
    return pet.reservation is not None and parse_iso(pet.reservation.expires_at) <= now


def as_of(pet: Pet, now: datetime) -> Pet:
    """The pet as it stands at `now`: a lapsed reservation is gone and the pet is available again."""
    if pet.reservation is None:
        return pet
    if pet.status is not PetStatus.pending or lapsed(pet, now):
        status = PetStatus.available if pet.status is PetStatus.pending else pet.status
        return pet.model_copy(update={"status": status, "reservation": None})
    return pet


def held_by(pet: Pet, principal: Principal | None) -> bool:
    return principal is not None and pet.reservation is not None and pet.reservation.holder_id == principal.subject


def seen_by(pet: Pet, viewer: Principal | None) -> Pet:
    """The pet with its holder shown only to the holder and to callers who may write."""
    reservation = pet.reservation
    if reservation is None or reservation.holder is None or held_by(pet, viewer) or (viewer is not None and viewer.can_write):
        return pet
    return pet.model_copy(update={"reservation": reservation.model_copy(update={"holder": None})})


def _released(pet: Pet, status: PetStatus, now: datetime) -> Pet:
    """The pet with its reservation ended, as `status`, at its next version (`as_of` keeps the stored version)."""
    return pet.model_copy(update={"status": status, "reservation": None, "version": pet.version + 1, "updated_at": iso(now)})


# ---------------------------------------------------------------------- lapses
class Lapses:
    """Releases lapsed reservations: a few before each read that needs it, any number when swept."""

    def __init__(self, pets: PetRepository, clock: Clock = utc_now, hold: timedelta = timedelta(hours=DEFAULT_HOURS)) -> None:
        self._pets = pets
        self._clock = clock
        self._hold = hold
        self._quiet_until: datetime | None = None  # no reservation lapses before this (as last seen)

    def now(self) -> datetime:
        return self._clock()

    def settle(self, reads: Reads) -> int:
        """Release the reservations lapsed by now (at most SETTLE_LIMIT), unless none can be due yet."""
        now = self._clock()
        if self._quiet_until is not None and now < self._quiet_until:
            return 0
        released = self._release_due(now, SETTLE_LIMIT, reads)
        if released:
            reads.memo.pop("counts", None)  # the counts read earlier in this request changed
        return released

    def sweep(self, time_left: Callable[[], float] = lambda: 60.0, batch: int = 50) -> int:
        """Release every lapsed reservation (while `time_left()` seconds remain); returns how many."""
        released = 0
        while time_left() > 0:
            done = self._release_due(self._clock(), batch, Reads(budget=10**9))
            released += done
            if self._quiet_until is not None and self._quiet_until > self._clock():
                break  # nothing more is due
            if not done:
                break  # due ones that others released meanwhile, or conflicts: the next sweep takes them
        return released

    def _release_due(self, now: datetime, limit: int, reads: Reads) -> int:
        due = self._pets.reservations_due(iso(now), limit, reads)
        released = 0
        if due.ids:
            for pet in self._pets.get_many(due.ids, reads):
                released += self.release_if_lapsed(pet, now) is not pet
        if due.more:
            self._quiet_until = None
        else:
            horizon = now + min(self._hold, QUIET_AT_MOST)  # a reservation made from now on lapses after now + hold
            if due.next_expiry is not None:
                horizon = min(horizon, parse_iso(due.next_expiry))
            self._quiet_until = horizon
        return released

    def release_if_lapsed(self, stored: Pet, now: datetime) -> Pet:
        """The pet with a lapsed reservation released (written, conditionally); the pet unchanged otherwise, or
        as another writer left it when one got there first."""
        if stored.status is not PetStatus.pending or not lapsed(stored, now):
            return stored
        released = _released(stored, PetStatus.available, now)
        try:
            self._pets.replace(stored, released)
        except PetChanged:
            fresh = self._pets.get(stored.id)
            return as_of(fresh, now) if fresh is not None else as_of(stored, now)
        return released


# ---------------------------------------------------------------------- reserving, cancelling, adopting
class ReservationService:
    def __init__(self, pets: PetRepository, lapses: Lapses, policy: ReservationPolicy | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        self._pets = pets
        self._lapses = lapses
        self._policy = policy or ReservationPolicy()
        self._on_change = on_change or (lambda: None)

    @property
    def policy(self) -> ReservationPolicy:
        return self._policy

    def reserve(self, principal: Principal | None, pet_id: str, expected_version: int | None = None) -> Pet:
        """Hold an available pet for the caller. A retry by the holder returns their reservation as it is."""
        principal = require_reader(principal)
        for _ in range(WRITE_ATTEMPTS):
            stored, pet, now = self._read(pet_id)
            if held_by(pet, principal):
                return pet
            _check_version(pet, expected_version)
            if pet.status is not PetStatus.available:
                raise PetNotAvailable(_why_not_available(pet), status=pet.status.value)
            reservation = Reservation(holder=principal.email or principal.subject, holder_id=principal.subject,
                                      expires_at=iso(now + self._policy.hold))
            reserved = pet.model_copy(update={"status": PetStatus.pending, "reservation": reservation,
                                              "version": stored.version + 1, "updated_at": iso(now)})
            limit = None if principal.can_write else self._policy.per_shopper
            try:
                self._pets.replace(stored, reserved, holder_limit=limit)
            except PetChanged:
                continue  # another shopper (or staff) got there first: read it again
            except HolderLimitReached as exc:
                raise ReservationLimitReached(
                    f"You already hold {self._policy.per_shopper} reservations, the most one shopper may hold at once: "
                    "cancel one first.", limit=self._policy.per_shopper) from exc
            self._on_change()
            return reserved
        raise Conflict("The pet is changing too often to reserve now; retry shortly.")

    def cancel(self, principal: Principal | None, pet_id: str, expected_version: int | None = None) -> Pet:
        """End a reservation: its holder may, and so may staff (a release). The pet is available again."""
        principal = require_reader(principal)
        for _ in range(WRITE_ATTEMPTS):
            stored, pet, now = self._read(pet_id)
            if pet.reservation is None:
                raise NoReservation(f"{pet.name} has no reservation to cancel (it is {pet.status.value}).",
                                    status=pet.status.value)
            if not held_by(pet, principal) and not principal.can_write:
                raise Forbidden(f"{pet.name} is reserved by another shopper: only they, or staff, may cancel it.")
            _check_version(pet, expected_version)
            available = _released(pet, PetStatus.available, now)
            try:
                self._pets.replace(stored, available)
            except PetChanged:
                continue
            self._on_change()
            return available
        raise Conflict("The pet is changing too often to cancel its reservation now; retry shortly.")

    def adopt(self, principal: Principal | None, pet_id: str, expected_version: int | None = None) -> Pet:
        """Staff confirm an adoption: the pet is `adopted` and its reservation, if any, ends. A retry returns it."""
        require_admin(principal)
        for _ in range(WRITE_ATTEMPTS):
            stored, pet, now = self._read(pet_id)
            if pet.status is PetStatus.adopted:
                return pet
            _check_version(pet, expected_version)
            adopted = _released(pet, PetStatus.adopted, now)
            try:
                self._pets.replace(stored, adopted)
            except PetChanged:
                continue
            self._on_change()
            return adopted
        raise Conflict("The pet is changing too often to confirm its adoption now; retry shortly.")

    def mine(self, principal: Principal | None) -> MyReservations:
        """The caller's reservations still running, the one that lapses first first."""
        principal = require_reader(principal)
        reads = Reads()
        self._lapses.settle(reads)
        now = self._lapses.now()
        pets = [as_of(pet, now) for pet in self._pets.held_by(principal.subject, MAX_LISTED, reads)]
        return MyReservations(pets=[pet for pet in pets if held_by(pet, principal)])

    def _read(self, pet_id: str) -> tuple[Pet, Pet, datetime]:
        """(the pet as stored, as it stands now, now); NotFound when absent."""
        stored = self._pets.get(pet_id.lower()) if is_pet_id(pet_id) else None
        if stored is None:
            raise NotFound(f"No pet with id {pet_id}.")
        now = self._lapses.now()
        return stored, as_of(stored, now), now


def _check_version(pet: Pet, expected_version: int | None) -> None:
    if expected_version is not None and pet.version != expected_version:
        raise PreconditionFailed(
            f"Pet {pet.id} is at version {pet.version}, not {expected_version}: it changed meanwhile.",
            current_version=pet.version,
        )


def _why_not_available(pet: Pet) -> str:
    if pet.status is PetStatus.adopted:
        return f"{pet.name} has already been adopted."
    if pet.reservation is not None:
        return (f"{pet.name} is already reserved by another shopper (until {pet.reservation.expires_at}, when it becomes "
                "available again unless adopted).")
    return f"{pet.name} is on hold ({pet.status.value}) and can't be reserved."
