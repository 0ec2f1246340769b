#!/usr/bin/env bash
# Deploy the whole pet store to AWS: build and deploy the SAM stack, then publish the page.
#
#   ./scripts/deploy.sh [extra sam deploy arguments]     (or: make deploy)
#
# Environment:
#   STACK_NAME   CloudFormation stack (default: stack_name in samconfig.toml, else "petstore")
#   AWS_REGION   region (default: the AWS CLI's configured region)
#   SAM_CONFIG   SAM config file (default: samconfig.toml)
#
# Without a SAM config file the deploy is guided (`sam deploy --guided`), which writes one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SAM_CONFIG="${SAM_CONFIG:-samconfig.toml}"
FRONTEND_DIR="$ROOT/frontend"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }

for tool in sam aws python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (see the README's deployment section)"
done

# The stack name: the environment first, then the SAM config, then the default.
config_stack_name() {
  [[ -f "$SAM_CONFIG" ]] || return 0
  python3 - "$SAM_CONFIG" <<'PY'
import sys
try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit(0)
with open(sys.argv[1], "rb") as handle:
    config = tomllib.load(handle)
env = config.get("default", {})
for section in ("deploy", "global"):
    name = env.get(section, {}).get("parameters", {}).get("stack_name")
    if name:
        print(name)
        break
PY
}
STACK_NAME="${STACK_NAME:-$(config_stack_name)}"
STACK_NAME="${STACK_NAME:-petstore}"

REGION_ARGS=()
if [[ -n "${AWS_REGION:-}" ]]; then
  REGION_ARGS=(--region "$AWS_REGION")
fi

# sam build installs the function's packages with the runtime's Python (python3.13), found on PATH.
python3.13 -c '' 2>/dev/null || die "'python3.13' is not on PATH: sam build needs the functions' runtime (with pyenv: PYENV_VERSION=3.13.0 make deploy)"

say "Building (sam build)"
sam build

if [[ -f "$SAM_CONFIG" ]]; then
  say "Deploying stack $STACK_NAME (sam deploy)"
  sam deploy --config-file "$SAM_CONFIG" --stack-name "$STACK_NAME" "${REGION_ARGS[@]}" "$@"
else
  say "No $SAM_CONFIG yet: guided deploy (answers are saved for next time)"
  sam deploy --guided --stack-name "$STACK_NAME" "${REGION_ARGS[@]}" "$@"
fi

say "Reading the stack's outputs"
OUTPUTS_JSON="$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" "${REGION_ARGS[@]}" \
  --query 'Stacks[0].Outputs' --output json)"

output() {
  OUTPUTS_JSON="$OUTPUTS_JSON" python3 - "$1" <<'PY'
import json, os, sys
for item in json.loads(os.environ["OUTPUTS_JSON"]) or []:
    if item.get("OutputKey") == sys.argv[1]:
        print(item.get("OutputValue", ""))
        break
PY
}

API_URL="$(output ApiUrl)"
WEB_URL="$(output WebUrl)"
BUCKET="$(output WebBucketName)"
DISTRIBUTION="$(output WebDistributionId)"
USER_POOL_ID="$(output UserPoolId)"
CLIENT_ID="$(output UserPoolClientId)"
UPLOAD_URL="$(output PhotosUploadUrl)"
[[ -n "$API_URL" ]] || die "stack $STACK_NAME has no ApiUrl output"
[[ -n "$BUCKET" ]] || die "stack $STACK_NAME has no WebBucketName output"
[[ -n "$DISTRIBUTION" ]] || die "stack $STACK_NAME has no WebDistributionId output"

say "Writing frontend/config.json (apiUrl: $API_URL)"
# Only for the upload: left in place, the local stack (make dev) would serve it and send the page to AWS.
trap 'rm -f "$FRONTEND_DIR/config.json"' EXIT
API_URL="$API_URL" python3 -c 'import json, os; print(json.dumps({"apiUrl": os.environ["API_URL"]}, indent=2))' \
  > "$FRONTEND_DIR/config.json"

say "Uploading the page to s3://$BUCKET"
# Assets are revalidated after five minutes; the entry page and its config are always revalidated.
aws s3 sync "$FRONTEND_DIR/" "s3://$BUCKET/" "${REGION_ARGS[@]}" --delete \
  --exclude ".*" --exclude "*/.*" --exclude "index.html" --exclude "config.json" \
  --cache-control "public, max-age=300"
# The page's Content-Security-Policy lets it connect to its own origin, this API, Cognito and the photos bucket (upload
# forms), and nowhere else; photos come from the page's own distribution (/photos/).
PAGE_HTML="$(mktemp)"
trap 'rm -f "$FRONTEND_DIR/config.json" "$PAGE_HTML"' EXIT
python3 "$ROOT/scripts/page_csp.py" "$FRONTEND_DIR/index.html" "$PAGE_HTML" \
  --api-url "$API_URL" --region "${USER_POOL_ID%%_*}" ${UPLOAD_URL:+--upload-url "$UPLOAD_URL"}
aws s3 cp "$PAGE_HTML" "s3://$BUCKET/index.html" "${REGION_ARGS[@]}" \
  --cache-control "no-cache" --content-type "text/html; charset=utf-8"
aws s3 cp "$FRONTEND_DIR/config.json" "s3://$BUCKET/config.json" "${REGION_ARGS[@]}" \
  --cache-control "no-cache" --content-type "application/json"

say "Invalidating CloudFront distribution $DISTRIBUTION"
INVALIDATION_ID="$(aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths '/*' \
  --query 'Invalidation.Id' --output text)"

cat <<EOT

Deployed stack $STACK_NAME.
  Page:          ${WEB_URL:-(see the WebUrl output)}
  API:           $API_URL
  User pool:     ${USER_POOL_ID:-?}   app client: ${CLIENT_ID:-?}
  Invalidation:  $INVALIDATION_ID (the new page is live once it completes, usually within a minute)

Create the first staff account:
  aws cognito-idp admin-create-user --user-pool-id ${USER_POOL_ID:-<pool>} --username you@example.com ${REGION_ARGS[*]:-}
  aws cognito-idp admin-add-user-to-group --user-pool-id ${USER_POOL_ID:-<pool>} --username you@example.com --group-name admins ${REGION_ARGS[*]:-}
EOT
