"""Blog profiles ("how a blog wants it written"): ``load_profile(name_or_path) -> Profile``."""

from newsbot.profiles.model import (
    BUNDLED,
    FRONT_MATTER_KEYS,
    Profile,
    ProfileError,
    load_profile,
)

__all__ = ["BUNDLED", "FRONT_MATTER_KEYS", "Profile", "ProfileError", "load_profile"]
