"""The photo rules in action: who may add and remove photos, what an upload must be to become one."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, NamedTuple

from ..auth import Principal, require_admin
from ..errors import Conflict, NotFound
from ..ids import is_pet_id as is_uuid  # one rule for ids
from ..models import Photo, PhotoUpload, PhotoUploadRequest, UploadForm
from ..observability import logger
from ..store.ports import PetChanged, PetRepository, PhotoNotAdded, PhotoStorage
from . import rules
from .formats import identify
from .links import photo_url

WRITE_ATTEMPTS = 5


class Outcome(str, Enum):
    added = "added"
    already_added = "already added"
    gone = "gone"  # nothing at the key any more (a repeated event, or removed meanwhile)
    ignored = "ignored"  # not an upload's key
    refused = "refused"


class Processed(NamedTuple):
    outcome: Outcome
    reason: str = ""


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class PhotoService:
    def __init__(
        self,
        pets: PetRepository,
        storage: PhotoStorage,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        upload_seconds: int = rules.UPLOAD_SECONDS,
    ) -> None:
        self._pets = pets
        self._storage = storage
        self._clock = clock
        self._new_id = new_id
        self._upload_seconds = upload_seconds

    # -- staff ------------------------------------------------------------------------------------

    def start_upload(self, principal: Principal | None, pet_id: str, request: PhotoUploadRequest) -> PhotoUpload:
        """An upload form for one photo of the pet. Nothing is recorded yet: the photo appears once its file has
        arrived and passed the checks (`process`)."""
        require_admin(principal)
        pet = self._pet(pet_id)
        if len(pet.photos) >= rules.MAX_PHOTOS:
            raise Conflict(f"{pet.name} has {len(pet.photos)} photos, the most a pet may have: remove one first.",
                           max_photos=rules.MAX_PHOTOS)
        photo_id = self._new_id()
        alt = request.alt or rules.default_alt(pet)
        content_type = request.content_type.value
        # Only a given alt text travels with the file: the default is made when the photo is processed, from the
        # pet as it is then (renamed meanwhile, say), and follows later renames.
        metadata = {rules.ALT_METADATA: rules.encode_alt(request.alt)} if request.alt else {}
        url, fields = self._storage.upload_form(
            rules.incoming_key(pet.id, photo_id), content_type, metadata, rules.MAX_BYTES, self._upload_seconds)
        expires = _utc(self._clock() + timedelta(seconds=self._upload_seconds))
        return PhotoUpload(
            photo=Photo(id=photo_id, url=photo_url(pet.id, photo_id), alt=alt),
            upload=UploadForm(url=url, fields=fields, max_bytes=rules.MAX_BYTES, expires_at=expires),
        )

    def remove(self, principal: Principal | None, pet_id: str, photo_id: str) -> None:
        """Take the photo off the pet (a conditional write), then delete its file."""
        require_admin(principal)
        for _ in range(WRITE_ATTEMPTS):
            pet = self._pet(pet_id)
            photo_id = photo_id.lower()
            kept = [photo for photo in pet.photos if photo.id != photo_id]
            if len(kept) == len(pet.photos):
                raise NotFound(f"{pet.name} has no photo {photo_id}.")
            changed = pet.model_copy(update={"photos": kept, "version": pet.version + 1, "updated_at": _now_ms(self._clock())})
            try:
                self._pets.replace(pet, changed)
            except PetChanged:
                continue
            self._storage.delete([rules.published_key(pet.id, photo_id)])
            return
        raise Conflict("The pet is changing too often to remove a photo now; retry shortly.")

    def forget_pet(self, pet_id: str) -> None:
        """Delete every file of a pet that is gone (its photos, and uploads not yet processed)."""
        for prefix in rules.pet_prefixes(pet_id):
            try:
                removed = self._storage.delete_under(prefix)
            except Exception:  # the pet is gone already: say what is left behind rather than fail the delete
                logger.exception("could not delete a removed pet's photos", extra={"prefix": prefix})
                continue
            if removed:
                logger.info("removed pet's files deleted", extra={"prefix": prefix, "count": removed})

    # -- an upload arrived (S3 ObjectCreated) -----------------------------------------------------

    def process(self, key: str) -> Processed:
        """Check an upload and record it on its pet, or delete it. Safe to run twice for one upload."""
        ids = rules.parse_incoming(key)
        if ids is None:
            return Processed(Outcome.ignored, "not an upload's key")
        pet_id, photo_id = ids
        stored = self._storage.head(key)
        if stored is None:
            return Processed(Outcome.gone)
        if stored.size > rules.MAX_BYTES:
            return self._refuse(key, f"{stored.size} bytes; the limit is {rules.MAX_BYTES}")
        if stored.size == 0:
            return self._refuse(key, "empty file")
        image = identify(self._storage.read(key))
        declared = stored.content_type.split(";")[0].strip().lower()
        if image is None:
            return self._refuse(key, f"not a JPEG, PNG or WebP image (declared {declared or 'no type'})")
        if image.content_type != declared:
            return self._refuse(key, f"declared {declared or 'no type'} but is {image.content_type}")
        if image.width * image.height > rules.MAX_PIXELS:
            return self._refuse(key, f"{image.width}x{image.height} pixels; the limit is {rules.MAX_PIXELS}")
        pet = self._pets.get(pet_id)
        if pet is None:
            return self._refuse(key, "no such pet (removed since the form was issued)")
        alt = rules.decode_alt(stored.metadata.get(rules.ALT_METADATA)) or rules.default_alt(pet)
        target = rules.published_key(pet_id, photo_id)
        self._storage.publish(key, target, image.content_type, rules.CACHE_CONTROL)
        photo: dict[str, Any] = {"id": photo_id, "alt": alt[:250], "width": image.width, "height": image.height}
        try:
            self._pets.add_photo(pet_id, photo, rules.MAX_PHOTOS, _now_ms(self._clock()))
        except PhotoNotAdded as refused:
            if refused.reason == "present":
                self._storage.delete([key])
                return Processed(Outcome.already_added)
            self._storage.delete([target])
            reason = "no such pet (removed meanwhile)" if refused.reason == "missing" else \
                f"the pet has {rules.MAX_PHOTOS} photos already"
            return self._refuse(key, reason)
        self._storage.delete([key])
        logger.info("photo added", extra={"pet_id": pet_id, "photo_id": photo_id, "content_type": image.content_type,
                                          "width": image.width, "height": image.height, "bytes": stored.size})
        return Processed(Outcome.added)

    # -- helpers ----------------------------------------------------------------------------------

    def _pet(self, pet_id: str) -> Any:
        pet = self._pets.get(pet_id.lower()) if is_uuid(pet_id) else None
        if pet is None:
            raise NotFound(f"No pet with id {pet_id}.")
        return pet

    def _refuse(self, key: str, reason: str) -> Processed:
        self._storage.delete([key])
        logger.warning("upload refused", extra={"key": key, "reason": reason})
        return Processed(Outcome.refused, reason)


def _now_ms(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
