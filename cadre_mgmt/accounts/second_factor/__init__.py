"""The second factor (等保 2.0 level 3, identity): a TOTP app and one-time recovery codes, by django-otp."""
