// Cognito's Secure Remote Password sign-in (USER_SRP_AUTH, challenge PASSWORD_VERIFIER): the page proves it
// knows the password without sending it. BigInt for the group arithmetic, Web Crypto for SHA-256 and HMAC.
// The group (RFC 5054, 3072 bits, g = 2), k, u, x and the "Caldera Derived Key" HKDF are Cognito's choices.

const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
  "29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
  "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
  "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
  "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
  "DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
  "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
  "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
  "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
const N = BigInt(`0x${N_HEX}`);
const G = 2n;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const encoder = new TextEncoder();

/** Can this browser sign in with SRP? (Web Crypto needs a secure context: https, or http on loopback.) */
export function srpSupported() {
  return typeof BigInt === "function" && Boolean(globalThis.crypto && crypto.subtle);
}

function modPow(base, exponent, modulus) {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Hex of a non-negative integer as Cognito hashes it: even length, a leading 00 when the top bit is set. */
export function padHex(value) {
  let hex = typeof value === "bigint" ? value.toString(16) : String(value);
  if (hex.length % 2) hex = `0${hex}`;
  else if ("89abcdefABCDEF".includes(hex[0])) hex = `00${hex}`;
  return hex;
}

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(bytes) {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function sha256Hex(bytes) {
  return bytesToHex(await crypto.subtle.digest("SHA-256", bytes));
}

async function hmac(keyBytes, message) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function toBase64(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/** Cognito's timestamp: "Tue Mar 4 09:05:07 UTC 2025" (day of month not padded). */
export function srpTimestamp(date = new Date()) {
  const two = (n) => String(n).padStart(2, "0");
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} `
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * One SRP exchange. `start()` gives SRP_A for InitiateAuth; `respond(challengeParameters, password)` gives the
 * PASSWORD_VERIFIER ChallengeResponses. `secretA` (hex) may be given for a reproducible exchange.
 */
export class SrpSession {
  constructor(userPoolId, secretA = null) {
    this.poolName = String(userPoolId || "").split("_")[1] || "";
    const random = secretA ? BigInt(`0x${secretA}`) : BigInt(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(128)))}`);
    this.a = random % N;
    this.A = modPow(G, this.a, N);
    if (this.A === 0n) throw new Error("SRP: A is zero; try again.");
  }

  start() {
    return this.A.toString(16);
  }

  async respond(parameters, password, now = new Date()) {
    const B = BigInt(`0x${parameters.SRP_B}`);
    if (B % N === 0n) throw new Error("SRP: the server sent an invalid B.");
    const userId = parameters.USER_ID_FOR_SRP || parameters.USERNAME;
    const k = BigInt(`0x${await sha256Hex(hexToBytes(padHex(N) + padHex(G)))}`);
    const u = BigInt(`0x${await sha256Hex(hexToBytes(padHex(this.A) + padHex(B)))}`);
    if (u === 0n) throw new Error("SRP: u is zero; try again.");
    const identity = await sha256Hex(encoder.encode(`${this.poolName}${userId}:${password}`));
    const x = BigInt(`0x${await sha256Hex(hexToBytes(padHex(BigInt(`0x${parameters.SALT}`)) + identity))}`);
    const S = modPow(B - k * modPow(G, x, N), this.a + u * x, N);
    // HKDF-SHA256 with u as the salt and one block of "Caldera Derived Key": 16 bytes of key.
    const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
    const key = (await hmac(prk, concat(encoder.encode("Caldera Derived Key"), new Uint8Array([1])))).slice(0, 16);
    const timestamp = srpTimestamp(now);
    const message = concat(encoder.encode(this.poolName), encoder.encode(userId),
      fromBase64(parameters.SECRET_BLOCK), encoder.encode(timestamp));
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: toBase64(await hmac(key, message)),
    };
  }
}
