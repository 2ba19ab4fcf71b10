//! HTTP integration tests: a real server on a loopback port, a fresh SQLite
//! file per test, requests through reqwest. One binary, a module per feature.

mod contacts;
mod helpers;
mod site;
