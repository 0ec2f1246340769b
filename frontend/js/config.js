// Where the API and Cognito are: config.json beside the page (optional), then GET <api>/config.
//
// config.json (written by the page's host): {"apiUrl"?, "authFlow"?, "demoLogins"?}. The local stack serves one
// with "authFlow": "USER_PASSWORD_AUTH" (its Cognito emulator does not check SRP proofs) and its demo logins;
// the deployed page's has only apiUrl.

export class ConfigError extends Error {}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function trimSlash(url) {
  return url.replace(/\/+$/, "");
}

async function readPageConfig() {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (response.ok) {
      const data = await response.json();
      if (data && typeof data === "object" && !Array.isArray(data)) return data;
    }
  } catch {
    // No config.json (or not JSON): the API is served from the same origin as the page.
  }
  return {};
}

function apiUrlFrom(pageConfig) {
  if (typeof pageConfig.apiUrl === "string" && pageConfig.apiUrl.trim()) {
    return trimSlash(new URL(pageConfig.apiUrl.trim(), document.baseURI).href);
  }
  return trimSlash(window.location.origin);
}

/**
 * The Cognito endpoint the page may send passwords to. `/config` is unauthenticated, so its `cognitoEndpoint` is
 * accepted only when the API is on this machine or the endpoint is on the API's own origin (the local stack);
 * otherwise only Cognito's regional endpoint, built from a region that looks like one.
 */
export function cognitoEndpointFor(apiUrl, data) {
  const api = new URL(apiUrl);
  if (data.cognitoEndpoint) {
    let endpoint;
    try {
      endpoint = new URL(String(data.cognitoEndpoint), apiUrl);
    } catch {
      throw new ConfigError("The store's sign-in settings are not valid (Cognito endpoint).");
    }
    const plain = (endpoint.protocol === "http:" || endpoint.protocol === "https:") && !endpoint.username && !endpoint.password;
    const local = LOOPBACK.has(api.hostname) && LOOPBACK.has(endpoint.hostname);
    if (!plain || !(local || endpoint.origin === api.origin)) {
      throw new ConfigError("The store's sign-in settings point somewhere the page won't send your password. Ask the store's staff to check them.");
    }
    return `${trimSlash(endpoint.href)}/`;
  }
  if (!REGION.test(String(data.region || ""))) {
    throw new ConfigError("The store's sign-in settings are not valid (no AWS region).");
  }
  return `https://cognito-idp.${data.region}.amazonaws.com/`;
}

function demoLoginsFrom(pageConfig) {
  if (!Array.isArray(pageConfig.demoLogins)) return [];
  return pageConfig.demoLogins
    .filter((login) => login && typeof login.email === "string" && typeof login.password === "string")
    .slice(0, 5)
    .map((login) => ({ email: login.email, password: login.password, role: String(login.role || "") }));
}

/** {apiUrl, region, userPoolId, clientId, cognitoEndpoint, authFlow, demoLogins} */
export async function loadConfig() {
  const pageConfig = await readPageConfig();
  const apiUrl = apiUrlFrom(pageConfig);
  let response;
  try {
    response = await fetch(`${apiUrl}/config`, { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch {
    throw new ConfigError("We couldn't reach the pet store. Check your connection and try again.");
  }
  if (!response.ok) {
    throw new ConfigError(`The pet store isn't answering properly right now (HTTP ${response.status}). Try again in a moment.`);
  }
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ConfigError("The pet store sent a settings page we could not read. Try again in a moment.");
  }
  if (!data || !data.clientId || (!data.region && !data.cognitoEndpoint)) {
    throw new ConfigError("Sign-in is not set up for this store yet (no Cognito app client in its settings).");
  }
  return {
    apiUrl,
    region: data.region,
    userPoolId: data.userPoolId,
    clientId: data.clientId,
    cognitoEndpoint: cognitoEndpointFor(apiUrl, data),
    authFlow: typeof pageConfig.authFlow === "string" ? pageConfig.authFlow : "",
    demoLogins: demoLoginsFrom(pageConfig),
  };
}
