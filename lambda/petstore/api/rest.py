"""The REST adapter: API Gateway proxy events in, the service's answers out, errors as the contract's JSON."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any


from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from pydantic import BaseModel, ValidationError

from ..auth import Principal, principal_from_claims, require_admin
from ..errors import BadRequest, MethodNotAllowed, NotFound, PetStoreError, PreconditionFailed, ValidationFailed
from ..limits import MAX_BODY_BYTES
from ..models import (
    ErrorBody,
    Inventory,
    MyReservations,
    Pet,
    PetCreate,
    PetListParams,
    PetPage,
    PetPatch,
    PhotoUpload,
    PhotoUploadRequest,
    QueryRequest,
    QueryResult,
)
from ..observability import logger
from .container import Container

ROUTES = {
    "/health": {"GET"},
    "/config": {"GET"},
    "/openapi.json": {"GET"},
    "/pets": {"GET", "POST"},
    "/pets/query": {"POST"},
    "/pets/{id}": {"GET", "PATCH", "DELETE"},
    "/inventory": {"GET"},
    # photos
    "/pets/{id}/photos": {"POST"},
    "/pets/{id}/photos/{photo_id}": {"DELETE"},
    # reservations
    "/pets/{id}/reservation": {"POST", "DELETE"},
    "/pets/{id}/adoption": {"POST"},
    "/me/reservations": {"GET"},
}
_ROUTE_PATTERNS = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "/?$"), methods) for path, methods in ROUTES.items()]
_ERRORS = {
    400: "Bad request: malformed JSON, a bad cursor or header.",
    401: "No valid Cognito ID token.",
    403: "Signed in, but not allowed (writes need the admins group).",
    404: "No such pet or route.",
    405: "Method not allowed on this path.",
    409: "A request with this Idempotency-Key is still in progress, or the pet is changing too fast (or, for photos, has the most it may have).",
    412: "If-Match names a version the pet no longer has.",
    413: "Body larger than 64 KB.",
    422: "The request does not validate (`error.details` says where), or its Idempotency-Key was used with another body.",
    429: "Too many requests or the store is busy; retry after `Retry-After` seconds.",
}


def _responses(*statuses: int, ok: int = 200, ok_model: Any = None, ok_text: str = "Success",
               notes: dict[int, str] | None = None) -> dict[int, Any]:
    responses: dict[int, Any] = {}
    if ok_model is not None:
        responses[ok] = {"description": ok_text, "content": {"application/json": {"model": ok_model}}}
    else:
        responses[ok] = {"description": ok_text}
    for status in statuses:
        description = (notes or {}).get(status, _ERRORS[status])
        responses[status] = {"description": description, "content": {"application/json": {"model": ErrorBody}}}
    return responses


IF_MATCH_PATTERN = r'^\s*(?:\*|(W/)?"?[0-9]{1,12}"?)\s*$'
GATEWAY_UNAUTHORIZED = {
    "type": "object", "required": ["message"], "properties": {"message": {"type": "string", "example": "Unauthorized"}},
}
PUBLIC_PATHS = frozenset({"/health", "/config", "/openapi.json"})
READ_ERRORS = (400, 401, 404, 405, 413, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 405, 409, 412, 413, 422, 429)
IF_MATCH_HELP = "The version you read; 412 if the pet changed since."
BUSY = "The pet is changing too often to do this now; retry shortly."


_ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def allowed_origin(stage_variables: Mapping[str, Any] | None = None) -> str:
    """The page's origin, the only one CORS lets read the API's answers: `ALLOWED_ORIGIN`, else the stage
    variable `allowedOrigin` (how template.yaml passes it). Never a fallback to `*`: without one, this fails."""
    origin = (os.environ.get("ALLOWED_ORIGIN") or (stage_variables or {}).get("allowedOrigin") or "").strip()
    if not _ORIGIN_RE.match(origin):
        raise RuntimeError(
            f"ALLOWED_ORIGIN (or the stage variable allowedOrigin) must be the web page's origin, such as "
            f"https://d111111abcdef8.cloudfront.net (scheme and host, no path, no '*'); it is "
            f"{repr(origin) if origin else 'not set'}."
        )
    return origin


def build_resolver(container: Container, origin: str | None = None) -> APIGatewayRestResolver:
    cors = CORSConfig(
        allow_origin=origin or allowed_origin(),
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match"],
        expose_headers=["ETag", "Retry-After"],
        max_age=600,
    )
    app = APIGatewayRestResolver(enable_validation=True, cors=cors)

    def principal() -> Principal | None:
        claims = (app.current_event.request_context.authorizer or {}).get("claims")
        return principal_from_claims(claims if isinstance(claims, dict) else None)

    def json_response(status: int, body: Any, headers: dict[str, str] | None = None):
        return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=json.dumps(body), headers=headers)

    def pet_response(pet: Pet, status: int = 200):
        return json_response(status, pet.model_dump(mode="json"), {"ETag": f'"{pet.version}"'})

    @app.get("/health", summary="Liveness", tags=["meta"], responses=_responses(405))
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/config", summary="Where to sign in", tags=["meta"], responses=_responses(405))
    def config() -> dict[str, Any]:
        return {
            "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
            "userPoolId": os.environ.get("USER_POOL_ID"),
            "clientId": os.environ.get("USER_POOL_CLIENT_ID"),
            "cognitoEndpoint": os.environ.get("COGNITO_ENDPOINT") or None,
        }

    @app.get("/openapi.json", summary="This API's OpenAPI document", tags=["meta"], responses=_responses(405))
    def openapi():
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=openapi_document(app))

    @app.get("/pets", summary="List pets", tags=["pets"], responses=_responses(*READ_ERRORS, ok_model=PetPage))
    def list_pets(params: Annotated[PetListParams, Query()]):
        try:
            pet_filter = params.to_filter()
        except ValidationError as exc:
            raise ValidationFailed("The filter is not valid.", details=_details(exc.errors(), "query")) from exc
        listing = container.service.list_pets(principal(), pet_filter, params.page_size, params.cursor, params.q)
        return json_response(200, listing.page.model_dump(mode="json"))

    @app.get("/inventory", summary="Pets by status and type (admins)", tags=["store"],
             responses=_responses(*READ_ERRORS, 403, ok_model=Inventory))
    def inventory():
        return json_response(200, container.service.inventory(principal()).model_dump(mode="json"))

    @app.post("/pets", summary="Add a pet (admins)", tags=["pets"],
              responses=_responses(*WRITE_ERRORS, ok=201, ok_model=Pet, ok_text="Created"))
    def create_pet(
        pet: PetCreate,
        idempotency_key: Annotated[str | None, Header(
            alias="Idempotency-Key", min_length=1, max_length=255,
            description="Retry-safe create: a retry with the same key and body returns the first answer.",
        )] = None,
    ):
        key = idempotency_key or _header("Idempotency-Key")
        return pet_response(container.service.create_pet(principal(), pet, key), 201)

    @app.post("/pets/query", summary="Ask in plain words", tags=["pets"],
              responses=_responses(*READ_ERRORS, ok_model=QueryResult))
    def query_pets(request: QueryRequest):
        result = container.query_service.query(principal(), request)
        return json_response(200, result.model_dump(mode="json"))

    @app.route("/pets/query", method=["GET", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def query_wrong_method():  # registered before /pets/<pet_id>, which would take "query" for an id
        raise MethodNotAllowed(f"{app.current_event.http_method} is not allowed on /pets/query.", allowed=["POST"])

    @app.get("/pets/<pet_id>", summary="Get a pet", tags=["pets"], responses=_responses(*READ_ERRORS, ok_model=Pet))
    def get_pet(pet_id: Annotated[str, Path(max_length=100)]):
        return pet_response(container.service.get_pet(principal(), pet_id))

    @app.patch("/pets/<pet_id>", summary="Change a pet (admins)", tags=["pets"],
               responses=_responses(*WRITE_ERRORS, ok_model=Pet))
    def update_pet(
        pet_id: Annotated[str, Path(max_length=100)],
        patch: PetPatch,
        if_match: Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description="The version you read; 412 if it changed.")] = None,
    ):
        expected = _version(if_match or _header("If-Match"))
        return pet_response(container.service.update_pet(principal(), pet_id, patch, expected))

    @app.delete("/pets/<pet_id>", summary="Remove a pet (admins)", tags=["pets"],
                responses=_responses(*WRITE_ERRORS, ok=204, ok_text="Deleted"))
    def delete_pet(
        pet_id: Annotated[str, Path(max_length=100)],
        if_match: Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description="Delete only at this version.")] = None,
    ):
        container.service.delete_pet(principal(), pet_id, _version(if_match or _header("If-Match")))
        return Response(status_code=204, body="")

    # -- photos ---------------------------------------------------------------------------------

    @app.post("/pets/<pet_id>/photos", summary="Upload a photo of a pet (admins)", tags=["photos"],
              description="Answers a presigned S3 POST (`upload`) for one JPEG, PNG or WebP file of at most 5 MB, valid a "
                          "few minutes. Once the file is uploaded and checked (it must really be the declared type) the "
                          "photo appears in the pet's `photos`, within seconds; a photo never uploaded never appears.",
              responses=_responses(*WRITE_ERRORS, ok=201, ok_model=PhotoUpload, ok_text="Upload form issued"))
    def start_photo_upload(pet_id: Annotated[str, Path(max_length=100)], request: PhotoUploadRequest):
        upload = container.photos.start_upload(principal(), pet_id, request)
        return json_response(201, upload.model_dump(mode="json"))

    @app.delete("/pets/<pet_id>/photos/<photo_id>", summary="Remove a photo of a pet (admins)", tags=["photos"],
                responses=_responses(*WRITE_ERRORS, ok=204, ok_text="Removed, with its file"))
    def remove_photo(pet_id: Annotated[str, Path(max_length=100)], photo_id: Annotated[str, Path(max_length=100)]):
        container.photos.remove(principal(), pet_id, photo_id)
        return Response(status_code=204, body="")

    # -- reservations and adoption -------------------------------------------------------------------------

    @app.post("/pets/<pet_id>/reservation", summary="Reserve a pet", tags=["reservations"],
              description="Any signed-in user holds an available pet: it turns `pending` until the reservation lapses "
                          "(`reservation.expires_at`), is cancelled, or staff confirm the adoption. A retry by the holder "
                          "answers the same reservation.",
              responses=_responses(400, 401, 404, 405, 409, 412, 413, 422, 429, ok=201, ok_model=Pet, ok_text="Reserved",
                                   notes={409: "The pet is not available (reserved by someone else, on hold or adopted), "
                                               "or the caller already holds as many reservations as one shopper may."}))
    def reserve_pet(
        pet_id: Annotated[str, Path(max_length=100)],
        if_match: Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description=IF_MATCH_HELP)] = None,
    ):
        pet = container.reservations.reserve(principal(), pet_id, _version(if_match or _header("If-Match")))
        return pet_response(pet, 201)

    @app.delete("/pets/<pet_id>/reservation", summary="Cancel a reservation (its holder, or admins)", tags=["reservations"],
                responses=_responses(400, 401, 403, 404, 405, 409, 412, 413, 422, 429, ok=204, ok_text="Cancelled: the pet is available",
                                     notes={403: "The reservation is another shopper's.",
                                            404: "No such pet, or it has no reservation.", 409: BUSY}))
    def cancel_reservation(
        pet_id: Annotated[str, Path(max_length=100)],
        if_match: Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description=IF_MATCH_HELP)] = None,
    ):
        container.reservations.cancel(principal(), pet_id, _version(if_match or _header("If-Match")))
        return Response(status_code=204, body="")

    @app.post("/pets/<pet_id>/adoption", summary="Confirm an adoption (admins)", tags=["reservations"],
              description="The pet is `adopted` and its reservation, if any, ends. A retry answers the adopted pet.",
              responses=_responses(*WRITE_ERRORS, ok_model=Pet, ok_text="Adopted", notes={409: BUSY}))
    def confirm_adoption(
        pet_id: Annotated[str, Path(max_length=100)],
        if_match: Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description=IF_MATCH_HELP)] = None,
    ):
        return pet_response(container.reservations.adopt(principal(), pet_id, _version(if_match or _header("If-Match"))))

    @app.get("/me/reservations", summary="My reservations", tags=["reservations"],
             responses=_responses(*READ_ERRORS, ok_model=MyReservations))
    def my_reservations():
        return json_response(200, container.reservations.mine(principal()).model_dump(mode="json"))

    def _header(name: str) -> str | None:
        return app.current_event.headers.get(name) or app.current_event.headers.get(name.lower())

    @app.exception_handler(PetStoreError)
    def store_error(exc: PetStoreError):
        headers = dict(exc.headers)
        if isinstance(exc, MethodNotAllowed):
            headers["Allow"] = ", ".join(exc.details.get("allowed", []))
        return json_response(exc.status, exc.body(), headers or None)

    @app.exception_handler(RequestValidationError)
    def invalid_request(exc: RequestValidationError):
        errors = list(exc.errors())
        if any(error.get("type") == "json_invalid" for error in errors):
            return store_error(BadRequest("The body is not valid JSON."))
        return store_error(ValidationFailed("The request does not validate.", details=_details(errors)))

    @app.not_found
    def not_found(exc: NotFoundError):
        path = app.current_event.path
        for pattern, methods in _ROUTE_PATTERNS:
            if pattern.match(path) and app.current_event.http_method.upper() not in methods:
                allowed = ", ".join(sorted(methods))
                error = MethodNotAllowed(f"{app.current_event.http_method} is not allowed on {path}.", allowed=sorted(methods))
                return json_response(405, error.body(), {"Allow": allowed})
        return store_error(NotFound(f"No route {path}."))

    @app.exception_handler(Exception)
    def unexpected(exc: Exception):
        logger.exception("Unhandled error")
        return json_response(500, {"error": {"code": "InternalError", "message": "Something went wrong on our side."}})

    return app


WRITE_ROUTES = frozenset({("POST", "/pets"), ("PATCH", "/pets/{id}"), ("DELETE", "/pets/{id}"),
                          ("POST", "/pets/{id}/photos"), ("DELETE", "/pets/{id}/photos/{photo_id}"),
                          ("POST", "/pets/{id}/adoption")})


def authorize_write_early(event: dict[str, Any]) -> None:
    """Refuse a write by a non-admin before its body is validated: a 403 tells nothing about the body."""
    if ((event.get("httpMethod") or "").upper(), event.get("resource")) not in WRITE_ROUTES:
        return
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims")
    require_admin(principal_from_claims(claims if isinstance(claims, dict) else None))


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip()
    if text == "*":  # any version, as HTTP means it: the pet must exist
        return None
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or len(text) > 12:
        raise PreconditionFailed(f"If-Match must be a pet version such as \"3\", not {if_match!r}.")
    return int(text)


def _details(errors: list[Any], where: str | None = None) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if where and (not loc or loc[0] != where):
            loc = [where, *loc]
        details.append({"field": ".".join(loc), "message": str(error.get("msg", "")), "type": str(error.get("type", ""))})
    return details


_OPENAPI_CACHE: dict[int, str] = {}


def openapi_document(app: APIGatewayRestResolver) -> str:
    key = id(app)
    if key not in _OPENAPI_CACHE:
        document = json.loads(app.get_openapi_json_schema(
            title="PetStore API",
            version="1.0.0",
            summary="Pets on DynamoDB, questions in plain words through Amazon Bedrock.",
            description="Send a Cognito ID token in `Authorization` on every route but /health, /config and /openapi.json.",
        ))
        document["paths"]["/pets"]["get"]["parameters"] = query_parameters(PetListParams)
        document.setdefault("components", {})["securitySchemes"] = {
            "CognitoIdToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                               "description": "A Cognito ID token (a `Bearer ` prefix is accepted)."}
        }
        for path, operations in document["paths"].items():
            for operation in operations.values():
                if path not in PUBLIC_PATHS:
                    operation["security"] = [{"CognitoIdToken": []}]
                unauthorized = operation.get("responses", {}).get("401", {}).get("content", {}).get("application/json")
                if unauthorized:
                    # API Gateway's Cognito authorizer answers a bad token itself, in its own shape.
                    unauthorized["schema"] = {"anyOf": [unauthorized["schema"], GATEWAY_UNAUTHORIZED]}
                for parameter in operation.get("parameters", []):
                    parameter["schema"] = _without_null(parameter["schema"])
        _OPENAPI_CACHE[key] = json.dumps(document)
    return _OPENAPI_CACHE[key]


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional header or query value is absent, never JSON null: document only its real type."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        return {**options[0], **{k: v for k, v in schema.items() if k not in ("anyOf", "title")}}
    return schema


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI query parameters from a model's JSON schema (Powertools flattens a query model to bare strings)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    parameters = []
    for name, prop in schema["properties"].items():
        options = [option for option in prop.get("anyOf", [prop]) if option.get("type") != "null"]
        field_schema = {k: v for k, v in (options[0] if len(options) == 1 else prop).items() if k not in ("title", "description")}
        for k in ("default",):
            if k in prop:
                field_schema[k] = prop[k]
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in schema.get("required", []),
                                     "schema": field_schema}
        if "description" in prop:
            parameter["description"] = prop["description"]
        if field_schema.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters
