// Where the API and Cognito are: config.json beside the page (optional), then GET <api>/config.

export class ConfigError extends Error {}

function trimSlash(url) {
  return url.replace(/\/+$/, "");
}

/** The API base URL: config.json's apiUrl, or this page's origin when the file is absent. */
export async function findApiUrl() {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (response.ok) {
      const data = await response.json();
      if (data && typeof data.apiUrl === "string" && data.apiUrl.trim()) {
        return trimSlash(new URL(data.apiUrl.trim(), document.baseURI).href);
      }
    }
  } catch {
    // No config.json (or not JSON): the API is served from the same origin as the page.
  }
  return trimSlash(window.location.origin);
}

/** {apiUrl, region, userPoolId, clientId, cognitoEndpoint} */
export async function loadConfig() {
  const apiUrl = await findApiUrl();
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
  const cognitoEndpoint = data.cognitoEndpoint
    ? trimSlash(data.cognitoEndpoint) + "/"
    : `https://cognito-idp.${data.region}.amazonaws.com/`;
  return { apiUrl, region: data.region, userPoolId: data.userPoolId, clientId: data.clientId, cognitoEndpoint };
}
