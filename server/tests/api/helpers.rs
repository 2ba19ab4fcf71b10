use std::net::SocketAddr;
use std::path::PathBuf;

use app::contacts::repo::{insert_contacts, NewContact};
use app::db::Db;
use app::state::AppState;
use app::tenant::{create_company, CompanyId};
use server::{build_router, leptos_options, Config};

/// A running server on its own database.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl TestApp {
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

    pub async fn company(&self, name: &str) -> CompanyId {
        create_company(&self.db, name, false)
            .await
            .expect("company")
    }

    pub async fn add(&self, company: CompanyId, contacts: &[NewContact]) -> Vec<i64> {
        insert_contacts(&self.db, company, contacts)
            .await
            .expect("insert")
    }
}

/// A contact with a name, a main phone (E.164) and an e-mail.
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
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("agenda.db").display());
    let db = Db::open(&url).await.expect("database");
    spawn_with(db, dir).await
}

pub async fn spawn_with(db: Db, dir: tempfile::TempDir) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    let config = Config {
        addr,
        site_root: public_dir(),
        database_url: String::new(),
    };
    let state = AppState {
        leptos_options: leptos_options(&config),
        db: db.clone(),
    };
    let router = build_router(state);
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}
