// What a pet's reservation means to the person looking at it. The API shows a reservation's holder only to the
// holder and to staff: for a shopper, a holder they can see is their own.

/**
 * {mine, holder, until} for a pet held now, or null. A reservation whose time is up is no reservation (the store
 * makes the pet available again by itself): a page left open past it shows the pet as available.
 */
export function reservationOf(pet, viewer = {}, now = Date.now()) {
  const reservation = pet && pet.status === "pending" ? pet.reservation : null;
  if (!reservation || typeof reservation.expires_at !== "string") return null;
  const until = new Date(reservation.expires_at);
  if (Number.isNaN(until.getTime()) || until.getTime() <= now) return null;
  const holder = typeof reservation.holder === "string" && reservation.holder ? reservation.holder : null;
  const mine = Boolean(holder) && (holder === viewer.email || !viewer.isAdmin);
  return { mine, holder, until };
}

/** The pet's status as it stands now: "available" once a reservation's time is up. */
export function statusNow(pet, now = Date.now()) {
  const reservation = pet?.reservation;
  if (pet?.status === "pending" && reservation && typeof reservation.expires_at === "string") {
    const until = new Date(reservation.expires_at).getTime();
    if (Number.isFinite(until) && until <= now) return "available";
  }
  return pet?.status;
}

const UNTIL = { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };

export function formatUntil(date) {
  return date.toLocaleString(undefined, UNTIL);
}

/** A message from the API with its timestamps as people read them: "until 2026-12-06T18:20:08Z" -> "until Sun, Dec 6, 6:20 PM". */
export function readableTimes(text) {
  return String(text).replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g, (iso) => {
    const date = new Date(iso.replace(" ", "T"));
    return Number.isFinite(date.getTime()) ? formatUntil(date) : iso;
  });
}

/** "Reserved for you until Tue, Jan 6, 2:00 PM", "Reserved by ann@example.com until …" (staff), or "Reserved". */
export function reservationText(reservation, viewer = {}) {
  if (!reservation) return null;
  const until = formatUntil(reservation.until);
  if (reservation.mine) return `Reserved for you until ${until}`;
  if (viewer.isAdmin && reservation.holder) return `Reserved by ${reservation.holder} until ${until}`;
  return "Reserved";
}
