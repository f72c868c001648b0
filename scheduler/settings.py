"""Every knob of the application in one place, read from `TARJOTIN_` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Application settings; `TARJOTIN_DATABASE_URL` overrides the embedded SQLite file.

    Read from `TARJOTIN_` environment variables and, under them, from a `.env` file in the working directory
    (lines `TARJOTIN_NAME=value`; an environment variable wins over the file)."""

    model_config = SettingsConfigDict(
        env_prefix="TARJOTIN_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    data_dir: Path = Field(default=Path("data"), description="where the embedded database lives")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; PostgreSQL in production")
    migrate_on_start: bool = Field(
        default=True,
        description="`tarjotin serve` upgrades the database schema at start (many replicas take turns); false: it "
        "only checks the schema is up to date and refuses to start if not (run `tarjotin db upgrade` first)",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="where the service is reached from outside: links in pages and feeds",
    )
    root_path: str = Field(
        default="",
        description="the path prefix a reverse proxy serves the service under and strips (/tarjotin), or none: "
        "every link and cookie the pages give starts with it (`tarjotin serve --root-path`)",
    )
    proxy_headers: bool = Field(
        default=True,
        description="trust X-Forwarded-Proto and X-Forwarded-For from the addresses in forwarded_allow_ips "
        "(`tarjotin serve --proxy-headers`)",
    )
    forwarded_allow_ips: str | None = Field(
        default=None,
        description="the proxies whose X-Forwarded-* headers are trusted, comma-separated (none: uvicorn's default, "
        "127.0.0.1 and ::1; * trusts anyone who can reach the port) (`tarjotin serve --forwarded-allow-ips`)",
    )
    feed_organizer_name: str = Field(
        default="Länsi-Uudenmaan sosiaalisen kuntoutuksen tiimi",
        description="who publishes the calendar feeds (ORGANIZER's name)",
    )
    feed_organizer_email: str = Field(
        default="sosiaalinen.kuntoutus@lansi-uusimaa.invalid", description="the team's address in the feeds (ORGANIZER)"
    )
    feed_refresh_minutes: int = Field(
        default=60, ge=5, le=1440, description="how often calendar programs should fetch a feed again"
    )
    offering_max_age_seconds: int = Field(
        default=10,
        ge=0,
        le=3600,
        description="how long a proxy may keep a public offering answer (Cache-Control max-age); its ETag "
        "revalidates it after that",
    )
    sign_in_idle_minutes: int = Field(
        default=120,
        ge=5,
        le=24 * 60,
        description="a page sign-in ends after this long without a request (a meeting with a client fits in it)",
    )
    sign_in_max_hours: int = Field(
        default=12, ge=1, le=7 * 24, description="a page sign-in ends this long after it began, however busy"
    )
    retention_days: int = Field(
        default=730,
        ge=1,
        description="`tarjotin purge`: days after its last day that an ended seat keeps its client (then counted only)",
    )
    run_retention_days: int = Field(
        default=90,
        ge=1,
        description="`tarjotin purge`: days a planning run (every waiting client's profile) is kept, "
        "except the live offering's",
    )
    idempotency_retention_hours: int = Field(
        default=24,
        ge=1,
        description="hours an Idempotency-Key's answer is replayed (an older key counts as new); "
        "`tarjotin purge` removes older answers",
    )

    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="the largest request body the service reads, in bytes; a larger one is answered 413 unread "
        "(no route takes more: resources, reservations and profiles are small, problem files are imported by the CLI; "
        "the import page has its own limit, below)",
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="the largest upload the import page takes (spreadsheets of clients, staff, hubs), in bytes",
    )

    broker_url: str | None = Field(
        default=None,
        description="the planning job queue's Redis (redis://host:6379/0); none: the embedded queue, a SQLite file "
        "beside the database, planned by a local worker process the service starts (docs/planning-queue.md)",
    )
    queue_name: str = Field(
        default="tarjotin-planning",
        pattern=r"^[A-Za-z0-9_.-]{1,100}$",
        description="the planning queue's name on the broker: one per county database",
    )
    heartbeat_timeout_seconds: float = Field(
        default=15.0,
        ge=2,
        le=600,
        description="a planning run whose worker has not said it is alive for this long failed (workers say so twice "
        "a second)",
    )
    planning_solver: str = Field(
        default="solver:solve",
        pattern=r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*$",
        description="the solve the workers run, as module:function (the tests name a stand-in)",
    )
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="the service's and workers' log lines: one JSON object a line (json) or plain text for a terminal",
    )
    log_level: str = Field(
        default="INFO",
        pattern=r"^(?i:debug|info|warning|error)$",
        description="the least important log lines written: debug, info (one access line per request), warning, error",
    )
    worker_threads: int = Field(
        default=1, ge=1, le=16, description="`tarjotin worker`: runs (or their parts) one worker process plans at once"
    )

    smtp_host: str | None = Field(
        default=None, description="the mail server that sends notices (none: notices stay on the recipients' lists)"
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="the mail server's port")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="starttls (upgrade a plain connection, port 587), tls (TLS from the start, port 465) "
        "or none (a local relay only)",
    )
    smtp_user: str | None = Field(default=None, description="the mail server's user name, when it asks for one")
    smtp_password: SecretStr | None = Field(default=None, description="the mail server's password")
    mail_from: str = Field(default="tarjotin@lansi-uusimaa.invalid", description="the sender of notices (From:)")
    mail_attempts: int = Field(
        default=5, ge=1, le=50, description="how many times a notice's e-mail is tried before it is marked failed"
    )

    @property
    def url(self) -> str:
        """The database URL in force: the override, or SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tarjotin.db').as_posix()}"

    @property
    def queue_file(self) -> Path:
        """The embedded queue's SQLite file: beside a SQLite database, else in the data directory."""
        url = self.url
        if url.startswith("sqlite:///") and not url.endswith(":memory:"):
            database = Path(url.removeprefix("sqlite:///"))
            return database.with_name(f"{database.stem}.queue.sqlite3")
        return self.data_dir / "planning-queue.sqlite3"


def get_settings() -> Settings:
    return Settings()
