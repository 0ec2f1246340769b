"""Pets' photos: upload forms, the checks an upload must pass, where photos live and are served."""
