//! HTTP integration tests: a real server on a loopback port, requests through
//! reqwest. One binary, a module per feature. Every test runs twice: on a
//! fresh SQLite file (`sqlite::…`) and on a fresh PostgreSQL database
//! (`postgres::…`, when `AGENDA_TEST_PG_URL` is reachable; see helpers.rs).

mod accounts;
mod anonymous;
mod backups;
mod concurrent_edits;
mod contact_conversations;
mod contact_details;
mod contacts;
mod conversations;
mod custom_fields;
mod database;
mod directory;
mod export;
mod helpers;
mod import;
mod import_corpus;
mod import_faults;
mod main_contact;
mod photos;
mod processes;
mod roles;
mod round_trip;
mod search;
mod site;
mod tenancy;
mod writer;
