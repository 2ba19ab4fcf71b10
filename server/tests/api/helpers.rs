use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::contacts::writer::{insert_contacts, NewContact};
use app::db::{Db, DbSettings};
use app::state::{AppState, LimitSettings};
use app::tenant::CompanyId;
use server::{build_router, leptos_options, Config};
use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;

/// The PostgreSQL server the tests use when it is reachable.
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The database a test runs on. Every test of the suite runs once per backend
/// (see [`on_both_backends!`](crate::on_both_backends)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database for one test, removed when dropped.
pub struct TestDatabase {
    pub url: String,
    _guard: DatabaseGuard,
}

enum DatabaseGuard {
    /// The SQLite file's directory.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    /// A database created on the PostgreSQL server: (admin URL, name).
    Postgres(String, String),
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let DatabaseGuard::Postgres(admin_url, name) = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: do the async clean-up on a
            // thread of its own. FORCE ends the test server's connections.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(mut conn) = PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .execute(&mut conn)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The PostgreSQL server's URL for tests (`AGENDA_TEST_PG_URL`).
pub fn pg_admin_url() -> String {
    std::env::var("AGENDA_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

/// True when PostgreSQL tests must run (CI): an unreachable server then fails
/// the tests instead of skipping them.
fn pg_required() -> bool {
    matches!(
        std::env::var("AGENDA_TEST_PG_REQUIRED").as_deref(),
        Ok("1" | "true")
    )
}

static PG_REACHABLE: OnceCell<bool> = OnceCell::const_new();

/// Whether the PostgreSQL tests run. Unreachable: skipped with a notice, or a
/// failure when they are required.
pub async fn postgres_enabled() -> bool {
    let reachable = *PG_REACHABLE
        .get_or_init(|| async {
            tokio::time::timeout(
                std::time::Duration::from_secs(5),
                PgConnection::connect(&pg_admin_url()),
            )
            .await
            .is_ok_and(|connected| connected.is_ok())
        })
        .await;
    if !reachable {
        assert!(
            !pg_required(),
            "PostgreSQL tests are required (AGENDA_TEST_PG_REQUIRED) but {} is unreachable",
            pg_admin_url()
        );
        eprintln!("SKIPPED on PostgreSQL: {} is unreachable", pg_admin_url());
    }
    reachable
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Creates a fresh, empty (not migrated) database on `backend`.
pub async fn fresh_database(backend: Backend) -> TestDatabase {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite:{}", dir.path().join("agenda.db").display());
            TestDatabase {
                url,
                _guard: DatabaseGuard::Sqlite(dir),
            }
        }
        Backend::Postgres => {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let admin_url = pg_admin_url();
            let name = format!(
                "agenda_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                fastrand::u32(..)
            );
            let mut conn = PgConnection::connect(&admin_url)
                .await
                .expect("connect to the PostgreSQL test server");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await
                .expect("create the test database");
            conn.close().await.expect("close");
            TestDatabase {
                url: with_database(&admin_url, &name),
                _guard: DatabaseGuard::Postgres(admin_url, name),
            }
        }
    }
}

/// Declares each listed `async fn name(backend: Backend)` as two tests,
/// `sqlite::name` and `postgres::name`; the PostgreSQL one is skipped (with a
/// notice) when no server is reachable, unless `AGENDA_TEST_PG_REQUIRED` is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if $crate::helpers::postgres_enabled().await {
                        super::$name($crate::helpers::Backend::Postgres).await
                    }
                }
            )*
        }
    };
}

/// A running server on its own database.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// Signed in as the first company's admin once [`TestApp::company`] ran.
    pub client: reqwest::Client,
    /// The app's import runners (tests resume interrupted imports with it).
    pub imports: app::import_export::import::Runners,
    signed_in: std::sync::atomic::AtomicBool,
    _database: TestDatabase,
}

/// The password every test account uses.
pub const PASSWORD: &str = "senha-de-teste-123";

/// A client that keeps cookies, like a browser.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

/// The admin e-mail of a company created by the tests.
pub fn admin_email(company: &str) -> String {
    let slug: String = company
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("admin@{slug}.example")
}

/// Signs up a company on `client`; returns its number as `/api/me` gives it
/// (a [`CompanyId`] is only made by the server: [`TestApp::company_id`]).
pub async fn sign_up_with(client: &reqwest::Client, base: &str, company: &str) -> i64 {
    let email = admin_email(company);
    let response = client
        .post(format!("{base}/api/auth/sign_up"))
        .form(&[
            ("company", company),
            ("name", "Admin"),
            ("email", email.as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("sign up");
    assert_eq!(response.status(), 200, "sign up {company}");
    let user: serde_json::Value = response.json().await.expect("json");
    user["company_id"].as_i64().expect("company_id")
}

impl TestApp {
    /// The URL of the app's database (for `agenda` commands run beside it).
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// `POST /api/...` with form fields, as the browser's server-fn client does.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// Signs up a new company (over HTTP, as a browser would) and returns
    /// it. The first company's admin becomes the signed-in user of
    /// [`TestApp::client`]; later ones sign in on throwaway clients (use
    /// [`TestApp::sign_up`] to keep theirs).
    pub async fn company(&self, name: &str) -> CompanyId {
        if self.signed_in.swap(true, Ordering::SeqCst) {
            self.sign_up(name).await.0
        } else {
            let id = sign_up_with(&self.client, &self.base, name).await;
            self.company_id(id).await
        }
    }

    /// The company with this number, as the server would resolve it.
    pub async fn company_id(&self, id: i64) -> CompanyId {
        app::tenant::find_company(&self.db, id)
            .await
            .expect("find company")
            .unwrap_or_else(|| panic!("no company {id}"))
    }

    /// Signs up a new company and returns it with a client signed in as its
    /// admin.
    pub async fn sign_up(&self, name: &str) -> (CompanyId, reqwest::Client) {
        let client = new_client();
        let id = sign_up_with(&client, &self.base, name).await;
        (self.company_id(id).await, client)
    }

    /// `POST /api/...` with a JSON body (the endpoints declared `input = Json`).
    pub async fn post_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A client with no session.
    pub fn anonymous(&self) -> reqwest::Client {
        new_client()
    }

    /// `POST /api/...` with form fields on a given client.
    pub async fn post_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// `POST /contacts/import?name=…` with the file's bytes as the body.
    pub async fn upload(
        &self,
        client: &reqwest::Client,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        client
            .post(format!("{}/contacts/import", self.base))
            .query(&[("name", name)])
            .header("content-type", "text/csv")
            .body(bytes)
            .send()
            .await
            .expect("request")
    }

    /// The names on the first page of a search of the list (as the signed-in
    /// client).
    pub async fn search_names(&self, query: &str) -> Vec<String> {
        let response = self.post_form("/api/contacts/list", &[("q", query)]).await;
        assert_eq!(response.status(), 200);
        let page: serde_json::Value = response.json().await.expect("json");
        contact_names(&page)
    }

    /// Inserts contacts through the contact writer; their ids, as the API
    /// spells them (plain numbers).
    pub async fn add(&self, company: CompanyId, contacts: &[NewContact]) -> Vec<i64> {
        insert_contacts(&self.db, company, contacts)
            .await
            .expect("insert")
            .into_iter()
            .map(app::ids::ContactId::get)
            .collect()
    }
}

/// `agenda check` finds nothing wrong: SQLite's integrity and foreign
/// keys, the search index, every contact's search columns and ranks in step
/// with what the search computes (whatever path wrote it), no orphan rows,
/// finished imports whole (`app::maintenance::check`).
pub async fn assert_database_sound(db: &Db) {
    let report = app::maintenance::check(db).await.expect("check");
    assert!(report.is_ok(), "agenda check:\n{report}");
}

/// `POST /api/...` with form fields on `client`: the status and the JSON
/// body (`null` when it is not JSON).
pub async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = app.post_as(client, path, form).await;
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Invites an agent into the company of `admin` (a signed-in admin's
/// client) and returns a client signed in as the new agent.
pub async fn join_as_agent(
    app: &TestApp,
    admin: &reqwest::Client,
    name: &str,
    email: &str,
) -> reqwest::Client {
    let (status, invite) = call(app, admin, "/api/agents/invite", &[("role", "agent")]).await;
    assert_eq!(status, 200, "{invite}");
    let token = invite["path"]
        .as_str()
        .expect("path")
        .trim_start_matches("/invite/")
        .to_string();
    let agent = new_client();
    let form = [
        ("token", token.as_str()),
        ("name", name),
        ("email", email),
        ("password", PASSWORD),
    ];
    let (status, me) = call(app, &agent, "/api/invites/accept", &form).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "agent");
    agent
}

/// A contact with a name, a main phone (E.164) and an e-mail.
/// The contacts' names of a list page.
pub fn contact_names(page: &serde_json::Value) -> Vec<String> {
    page["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

pub fn contact(name: &str, phone: Option<&str>, email: Option<&str>) -> NewContact {
    NewContact {
        name: name.to_string(),
        phones: phone.map(str::to_string).into_iter().collect(),
        emails: email.map(str::to_string).into_iter().collect(),
        ..Default::default()
    }
}

/// The workspace's `public/` folder: the static files the site serves.
fn public_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public")
}

/// Starts the app on an empty, migrated database (no demo data).
pub async fn spawn_app(backend: Backend) -> TestApp {
    let database = fresh_database(backend).await;
    let db = Db::open(&database.url).await.expect("database");
    spawn_with(db, database).await
}

pub async fn spawn_with(db: Db, database: TestDatabase) -> TestApp {
    spawn_limited(db, database, LimitSettings::default()).await
}

/// Starts the app on an empty, migrated database with these limits (tests
/// of a bound configure it small).
pub async fn spawn_app_with_limits(backend: Backend, limits: LimitSettings) -> TestApp {
    let database = fresh_database(backend).await;
    let db = Db::open(&database.url).await.expect("database");
    spawn_limited(db, database, limits).await
}

pub async fn spawn_limited(db: Db, database: TestDatabase, limits: LimitSettings) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    let config = Config {
        addr,
        site_root: public_dir(),
        database_url: database.url.clone(),
        db_settings: DbSettings::default(),
        limits,
        server_timing: true,
    };
    let state = AppState::with_limits(leptos_options(&config), db.clone(), config.limits.clone());
    let imports = state.imports.clone();
    let router = server::timing::layer(build_router(state), config.server_timing);
    tokio::spawn(async move {
        server::serve(listener, router, std::future::pending())
            .await
            .expect("serve");
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        client: new_client(),
        imports,
        signed_in: std::sync::atomic::AtomicBool::new(false),
        _database: database,
    }
}

#[test]
fn a_database_name_replaces_the_urls_own() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}
