"""Pydantic models: the one source of validation, OpenAPI, the Bedrock tool schema and the MCP schemas."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

MAX_PRICE = 1_000_000
MAX_AGE = 100
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_TYPES = 20
MAX_DESCRIPTION = 2000
MAX_SEARCH_TEXT = 100
_TYPE_RE = re.compile(r"^[a-z]+(?:[ -][a-z]+)*$")


class _Model(BaseModel):
    # Built on first use, not at import: a cold start builds only the models its route touches.
    model_config = ConfigDict(defer_build=True, allow_inf_nan=False)


class PetStatus(str, Enum):
    available = "available"
    pending = "pending"
    adopted = "adopted"


class Sex(str, Enum):
    female = "female"
    male = "male"


class Size(str, Enum):
    small = "small"
    medium = "medium"
    large = "large"


class SortOrder(str, Enum):
    price_asc = "price_asc"
    price_desc = "price_desc"
    age_asc = "age_asc"
    age_desc = "age_desc"


def _two_decimals(value: float) -> float:
    """Accept numbers with at most two decimals (tolerating binary float noise such as 0.30000000000000004)."""
    exact = Decimal(repr(value))
    rounded = exact.quantize(Decimal("0.01"))
    if abs(exact - rounded) > Decimal("0.000000001"):
        raise ValueError("must have at most 2 decimal places")
    return _no_negative_zero(float(rounded))


def _no_negative_zero(value: float) -> float:
    """-0 and -0.0 are zero: echoed and stored as 0, so a write and its read-back agree."""
    return value + 0.0


def _pet_type(value: str) -> str:
    value = " ".join(value.split()).lower()
    if not _TYPE_RE.match(value):
        raise ValueError("must be a word of letters, such as 'dog' or 'cat'")
    *words, last = value.split(" ")
    return " ".join([*words, _singular(last)])


def _singular(word: str) -> str:
    """A type is singular: "dogs" is stored as "dog", "finches" as "finch", "bunnies" as "bunny"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("ss", "x", "z", "ch", "sh")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _blank_is_none(value: str) -> str | None:
    return value.strip() or None


def _not_blank(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    return value


# Format characters that legitimate text needs: joiners (emoji sequences, Persian, Indic scripts) and
# tag characters (subdivision flags). Every other format character is invisible or reorders what is shown.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"}) | frozenset(map(chr, range(0xE0020, 0xE0080)))
_MULTILINE_WHITESPACE = frozenset({"\n", "\t"})


def plain_text(value: str, *, multiline: bool = False) -> str:
    """The rule for every text field people read (names, breeds, descriptions, questions).

    Refuses control characters (NUL, ESC, DEL, C1), lone surrogates, line and paragraph separators,
    noncharacters, and format characters: bidirectional overrides and isolates (U+202E, U+2066...), marks
    (U+200E), zero-width spaces and the like, which let one name pass for another on screen. Joiners
    (U+200C, U+200D) and emoji tag characters stay. `multiline` text may hold line breaks and tabs (CRLF
    and CR become LF). The text is returned in Unicode NFC, so equal-looking names are equal strings.
    """
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(value):
        if multiline and char in _MULTILINE_WHITESPACE:
            continue
        category = unicodedata.category(char)
        code = ord(char)
        if (
            category in ("Cc", "Cs", "Zl", "Zp")
            or (category == "Cf" and char not in _ALLOWED_FORMAT)
            or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE
        ):
            raise ValueError(
                f"must not contain control, invisible or bidirectional-override characters "
                f"(U+{code:04X} at position {position})"
            )
    return unicodedata.normalize("NFC", value)


def one_line_text(value: str) -> str:
    """plain_text for single-line fields (name, breed)."""
    return plain_text(value)


def multi_line_text(value: str) -> str:
    """plain_text for text that may span lines (a description, a question)."""
    return plain_text(value, multiline=True)


Price = Annotated[
    float,
    Field(strict=True, ge=0, le=MAX_PRICE, json_schema_extra={"multipleOf": 0.01},
          description="Price in the store's currency, 0 to 1,000,000, at most 2 decimals."),
    AfterValidator(_two_decimals),
]
Age = Annotated[
    float,
    Field(strict=True, ge=0, le=MAX_AGE, json_schema_extra={"multipleOf": 0.01},
          description="Age in years, 0 to 100; decimals allowed (0.5 is six months), at most 2 decimals."),
    AfterValidator(_two_decimals),
]
PetType = Annotated[
    str,
    Field(min_length=1, max_length=30, pattern=r"^\s*[A-Za-z]+(?:[ -][A-Za-z]+)*\s*$",
          description="Kind of animal: a lowercase singular word, e.g. 'dog', 'cat', 'rabbit' ('Dogs' is read as 'dog')."),
    AfterValidator(_pet_type),
]
OneLineText = Annotated[str, AfterValidator(one_line_text)]
MultiLineText = Annotated[str, AfterValidator(multi_line_text)]
PetName = Annotated[
    OneLineText,
    Field(min_length=1, max_length=100, description="The pet's name, 1-100 characters; no control or bidi-override characters."),
    AfterValidator(_not_blank),
]
Breed = Annotated[
    OneLineText,
    Field(min_length=1, max_length=100, description="Breed, e.g. 'Golden Retriever'; at most 100 characters."),
    AfterValidator(_not_blank),
]
FilterPrice = Annotated[float, Field(ge=0, le=MAX_PRICE), AfterValidator(_no_negative_zero)]
FilterAge = Annotated[float, Field(ge=0, le=MAX_AGE), AfterValidator(_no_negative_zero)]
Description = Annotated[
    MultiLineText,
    Field(max_length=MAX_DESCRIPTION, description="Plain text about the pet, at most 2,000 characters; newlines allowed, "
          "no other control or bidirectional-override characters. Shown as text, never as HTML."),
    AfterValidator(_blank_is_none),
]
_GOOD_WITH_HELP = "true (yes), false (no) or null (not known)"


class GoodWith(_Model):
    """Whether the pet gets on with children, dogs and cats: each true, false or null (not known)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    children: bool | None = Field(default=None, strict=True, description=f"Good with children: {_GOOD_WITH_HELP}.")
    dogs: bool | None = Field(default=None, strict=True, description=f"Good with dogs: {_GOOD_WITH_HELP}.")
    cats: bool | None = Field(default=None, strict=True, description=f"Good with cats: {_GOOD_WITH_HELP}.")


class GoodWithPatch(_Model):
    """Members to change in `good_with`; the others keep their value; null makes one unknown."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    children: bool | None = Field(default=None, strict=True)
    dogs: bool | None = Field(default=None, strict=True)
    cats: bool | None = Field(default=None, strict=True)


class PetCreate(_Model):
    """A new pet. The store assigns id, timestamps and version."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Rex", "type": "dog", "breed": "Beagle", "age": 2, "price": 450, "status": "available"}
    ]})

    name: PetName
    type: PetType
    breed: Breed | None = None
    age: Age
    price: Price
    status: PetStatus = PetStatus.available
    sex: Sex | None = None
    size: Size | None = None
    good_with: GoodWith | None = Field(default=None, description="Whom the pet gets on with; null or absent: not known.")
    description: Description | None = None

    @model_validator(mode="after")
    def _null_good_with_is_unknown(self) -> PetCreate:
        if self.good_with is None:
            self.good_with = GoodWith()
        return self


class PetPatch(_Model):
    """A partial update: only the fields given change. `breed`, `sex`, `size` and `description` may be null to
    clear them; `good_with` changes only the members given (null makes a member unknown, `good_with: null` all)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"price": 399.99}], "minProperties": 1})

    # SkipJsonSchema: null is accepted only to be refused with a clear message; the schema says never null.
    name: PetName | SkipJsonSchema[None] = None
    type: PetType | SkipJsonSchema[None] = None
    breed: Breed | None = None
    age: Age | SkipJsonSchema[None] = None
    price: Price | SkipJsonSchema[None] = None
    status: PetStatus | SkipJsonSchema[None] = None
    sex: Sex | None = None
    size: Size | None = None
    good_with: GoodWithPatch | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> PetPatch:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        for field in ("name", "type", "age", "price", "status"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def changes(self) -> dict[str, object]:
        changes = self.model_dump(mode="json", include=self.model_fields_set)
        if self.good_with is not None:
            changes["good_with"] = self.good_with.model_dump(mode="json", include=self.good_with.model_fields_set)
        return changes

    def apply_to(self, pet: Pet) -> dict[str, object]:
        """The pet's fields after this patch (JSON merge-patch semantics for `good_with`)."""
        data = pet.model_dump(mode="json")
        for name, value in self.changes().items():
            if name == "good_with":
                data["good_with"] = {**data["good_with"], **value} if value is not None else GoodWith().model_dump()
            else:
                data[name] = value
        return data


# -- photos ------------------------------------------------------------------------------------------------

MAX_ALT_TEXT = 250


class PhotoContentType(str, Enum):
    jpeg = "image/jpeg"
    png = "image/png"
    webp = "image/webp"


AltText = Annotated[
    OneLineText,
    Field(min_length=1, max_length=MAX_ALT_TEXT,
          description="What the photo shows, for people who can't see it (at most 250 characters, one line)."),
    AfterValidator(_not_blank),
]


class Photo(_Model):
    """A photo of a pet, served by the store's content delivery network."""

    id: str = Field(description="Unique id of the photo (UUID).")
    url: str = Field(description="Where the photo is served (HTTPS in AWS; the local stack's origin locally).")
    alt: str = Field(description="Text alternative: what the photo shows.")
    width: int | None = Field(default=None, description="Width in pixels, as read from the image.")
    height: int | None = Field(default=None, description="Height in pixels, as read from the image.")


class PhotoUploadRequest(_Model):
    """Ask for an upload form for one photo of a pet."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"content_type": "image/jpeg"}]})

    content_type: PhotoContentType = Field(description="The photo's type: image/jpeg, image/png or image/webp.")
    alt: AltText | None = Field(default=None, description="Text alternative; by default the pet's name and breed or type.")


class UploadForm(_Model):
    """A presigned S3 POST: send `fields` and then the file (as the field `file`) as multipart/form-data to `url`."""

    url: str = Field(description="Where to POST the form.")
    fields: dict[str, str] = Field(description="Form fields to send as they are, before the file.")
    max_bytes: int = Field(description="The largest file the form accepts, in bytes.")
    expires_at: str = Field(description="UTC ISO 8601 time after which the form is refused.")


class PhotoUpload(_Model):
    """The photo to be, and the form that uploads it. After the upload the photo appears in the pet's `photos`
    within seconds (once checked); a photo never uploaded never appears."""

    photo: Photo
    upload: UploadForm


# -- reservations ------------------------------------------------------------------------------------------


class Reservation(_Model):
    """A shopper's hold on a pet: the pet stays `pending` until `expires_at`, then is available again by itself."""

    holder: str | None = Field(
        default=None,
        description="Who holds it (their e-mail, or an agent's client id). Shown only to the holder and to staff; "
        "null for everyone else.",
    )
    expires_at: str = Field(description="UTC ISO 8601 time the reservation lapses by itself.")
    # The holder's Cognito subject: who may cancel it and whose "My reservations" lists it. Stored, never shown.
    holder_id: SkipJsonSchema[str | None] = Field(default=None, exclude=True)


class Pet(_Model):
    """A pet in the store."""

    id: str = Field(description="Unique id (UUID) assigned by the store.")
    name: str
    type: str
    breed: str | None = None
    age: float = Field(description="Age in years.")
    price: float = Field(description="Price; a JSON number with at most 2 decimals.")
    status: PetStatus
    sex: Sex | None = Field(default=None, description="female, male, or null when not known.")
    size: Size | None = Field(default=None, description="small, medium, large, or null when not known.")
    good_with: GoodWith = Field(default_factory=GoodWith)
    description: str | None = Field(default=None, description="Plain text about the pet (render it as text), or null.")
    photos: list[Photo] = Field(default_factory=list, description="The pet's photos, in order (the first is its picture).")
    reservation: Reservation | None = Field(
        default=None, description="The hold a shopper has on the pet while it is `pending`; null when nobody holds it."
    )
    created_at: str = Field(description="UTC ISO 8601 time of creation.")
    updated_at: str = Field(description="UTC ISO 8601 time of the last change.")
    version: int = Field(description="Incremented on every change; send it as If-Match for a conditional update.")


class PetFilter(_Model):
    """A structured search over the store's pets. Every field is optional; absent fields do not filter."""

    model_config = ConfigDict(extra="forbid")

    type: list[PetType] | None = Field(
        default=None, max_length=MAX_TYPES, description="Animal types to include, lowercase singular, e.g. ['dog'] or ['dog', 'cat']."
    )
    breed: OneLineText | None = Field(default=None, max_length=100, description="Breed, e.g. 'Golden Retriever' (case-insensitive).")
    min_price: FilterPrice | None = Field(default=None, description="Lowest price.")
    max_price: FilterPrice | None = Field(default=None, description="Highest price.")
    min_price_strict: bool = Field(default=False, description="True when min_price itself is excluded ('more than 100').")
    max_price_strict: bool = Field(default=False, description="True when max_price itself is excluded ('less than 500').")
    min_age: FilterAge | None = Field(default=None, description="Lowest age in years (6 months = 0.5).")
    max_age: FilterAge | None = Field(default=None, description="Highest age in years.")
    min_age_strict: bool = Field(default=False, description="True when min_age itself is excluded ('older than 3 years').")
    max_age_strict: bool = Field(default=False, description="True when max_age itself is excluded ('younger than 2 years').")
    status: PetStatus | None = Field(default=None, description="Only pets with this status.")
    sex: Sex | None = Field(default=None, description="Only female or only male pets.")
    size: Size | None = Field(default=None, description="Only small, medium or large pets.")
    good_with_children: bool | None = Field(default=None, description="true: only pets known to be good with children; false: only pets known not to be.")
    good_with_dogs: bool | None = Field(default=None, description="true: only pets known to be good with dogs; false: only pets known not to be.")
    good_with_cats: bool | None = Field(default=None, description="true: only pets known to be good with cats; false: only pets known not to be.")
    sort: SortOrder | None = Field(default=None, description="Result order: price_asc (cheapest first), price_desc, age_asc (youngest first), age_desc; none: by name.")
    limit: int | None = Field(default=None, ge=1, le=MAX_PAGE_SIZE, description="Return at most this many pets in all ('top 3' is 3).")

    @model_validator(mode="after")
    def _ranges_ordered(self) -> PetFilter:
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise ValueError("min_price must not exceed max_price")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age must not exceed max_age")
        if self.type is not None:
            self.type = sorted(set(self.type)) or None
        if self.breed is not None:
            self.breed = " ".join(self.breed.split()) or None
        return self

    def is_empty(self) -> bool:
        return self == PetFilter()


class SearchMeta(_Model):
    model_config = ConfigDict(extra="allow")

    items_scanned: int = Field(description="DynamoDB items read to answer (pets and the store's counts).")
    more_to_search: bool = Field(
        default=False,
        description="True when the request's read budget ran out before the page was full: the answer holds the pets "
        "found so far and `next_cursor` continues the search where reading stopped (ask again to keep looking).",
    )


class PetPage(_Model):
    pets: list[Pet]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")
    total: int | None = Field(
        default=None, description="How many pets match in all; null when it can't be known cheaply."
    )
    total_capped: bool = Field(
        default=False, description="True when the count stopped early: at least `total` pets match (show it as '120+')."
    )
    meta: SearchMeta | None = None


class MyReservations(_Model):
    """The caller's reservations."""

    pets: list[Pet] = Field(description="The pets the caller holds, the one that lapses first first.")


class Inventory(_Model):
    """How many pets the store holds, by status and by type (from the store's counts, no scan)."""

    by_status: dict[str, int] = Field(description="Pets per status: available, pending, adopted.")
    by_type: dict[str, int] = Field(description="Pets per type, for the types present.")


class QueryRequest(_Model):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"query": "cheap dogs under $500, youngest first"}]})

    query: MultiLineText = Field(min_length=1, max_length=1000, pattern=r"\S",
                                 description="A question in plain words, e.g. 'cats under $300'.")
    session_id: str | None = Field(
        default=None, min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Continue a conversation: the query refines the previous one of this session.",
    )
    page_size: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = Field(
        default=None, max_length=4096, pattern=r"^eyJ[A-Za-z0-9_-]+$", description="next_cursor of a previous answer."
    )


class QueryMeta(_Model):
    model_config = ConfigDict(extra="allow")

    items_scanned: int = Field(description="DynamoDB items read to answer.")
    more_to_search: bool = Field(
        default=False, description="True when the read budget ran out before the page was full; `next_cursor` keeps looking."
    )
    latency_ms: float | None = None
    fallback_reason: str | None = None
    carried: list[str] = Field(default_factory=list, description="Filter fields kept from the previous question of the session.")
    unrecognised: list[str] = Field(
        default_factory=list, description="Words, as typed, that looked like a subject or a constraint and were not understood."
    )
    suggestions: dict[str, str] = Field(default_factory=dict, description="What a word not understood may have meant, e.g. {\"dragons\": \"Bearded Dragon\"}.")
    corrected: dict[str, str] = Field(default_factory=dict, description="Words read as another, e.g. {\"rabits\": \"rabbit\"}.")


class QueryResult(_Model):
    pets: list[Pet]
    next_cursor: str | None
    total: int | None = Field(default=None, description="How many pets match in all; null when it can't be known cheaply.")
    total_capped: bool = Field(default=False, description="True when at least `total` pets match (the count stopped early).")
    filters: PetFilter = Field(description="The structured filter that was applied.")
    source: Literal["llm", "keyword"]
    session_id: str
    meta: QueryMeta


class ErrorDetail(_Model):
    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class ErrorBody(_Model):
    error: ErrorDetail


class PetListParams(_Model):
    """Query string of GET /pets."""

    model_config = ConfigDict(extra="forbid")

    type: list[PetType] | None = Field(
        default=None, max_length=MAX_TYPES, description="Animal type; repeat the parameter for several."
    )
    breed: OneLineText | None = Field(default=None, max_length=100, description="Breed, case-insensitive.")
    min_price: FilterPrice | None = Field(default=None, description="Lowest price, inclusive.")
    max_price: FilterPrice | None = Field(default=None, description="Highest price, inclusive.")
    min_age: FilterAge | None = Field(default=None, description="Lowest age in years, inclusive.")
    max_age: FilterAge | None = Field(default=None, description="Highest age in years, inclusive.")
    status: PetStatus | None = None
    sex: Sex | None = Field(default=None, description="female or male.")
    size: Size | None = Field(default=None, description="small, medium or large.")
    good_with_children: bool | None = Field(default=None, description="true or false: only pets known to be (or not to be) good with children.")
    good_with_dogs: bool | None = Field(default=None, description="true or false: only pets known to be (or not to be) good with dogs.")
    good_with_cats: bool | None = Field(default=None, description="true or false: only pets known to be (or not to be) good with cats.")
    q: OneLineText | None = Field(
        default=None, max_length=MAX_SEARCH_TEXT,
        description="Search by name or breed, case-insensitive: names that start with the text, breeds with a word that does.",
    )
    sort: SortOrder | None = Field(default=None, description="price_asc, price_desc, age_asc or age_desc; without it pets come by name (A to Z).")
    page_size: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Pets per page, 1-100.")
    cursor: str | None = Field(
        default=None, max_length=4096, pattern=r"^eyJ[A-Za-z0-9_-]+$", description="next_cursor of the previous page."
    )

    def to_filter(self) -> PetFilter:
        return PetFilter.model_validate(self.model_dump(exclude={"page_size", "cursor", "q"}, exclude_none=True))
