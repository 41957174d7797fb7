//! The real window (`LoginApp`, built the way eframe builds it) under egui_kittest: one builder
//! for every test's window (in-memory clipboard and keyring), helpers that click and type like a
//! person, and canned answers with a fixed clock for stable pictures.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cl_login_tester::attempt::Attempt;
use cl_login_tester::auth::jwt::encode_part;
use cl_login_tester::auth::outcome::HttpAnswer;
use cl_login_tester::auth::Encoding;
use cl_login_tester::auth::{Grant, RequestDraft};
use cl_login_tester::auth_host::AuthHost;
use cl_login_tester::auth_host::Transport;
use cl_login_tester::gui::clipboard::MemoryClipboard;
use cl_login_tester::gui::{DemoInfo, LoginApp, Services};
use cl_login_tester::profiles::{KeyringProfiles, ProfileStore};
use cl_login_tester::report::history::History;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use super::{catalog, Demo};

/// A fixed "now" for the pictures: 10 minutes after the canned token was issued.
pub const ISSUED_AT: u64 = 1_796_000_000;
pub fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(ISSUED_AT + 600)
}

pub struct Window {
    pub harness: Harness<'static, LoginApp>,
    pub clipboard: MemoryClipboard,
}

/// How the window under test is made: `Window::demo(&demo)`, `Window::blank()` or
/// `Window::picture()`, then `.clock(..)`, `.store(..)`, `.base_url(..)`, `.history(..)`, and
/// `.build()`.
pub struct WindowBuilder {
    runtime: tokio::runtime::Handle,
    demo_url: Option<String>,
    clock: fn() -> SystemTime,
    store: Option<Arc<dyn ProfileStore>>,
    base_url: Option<String>,
    size: [f32; 2],
    history: Option<History>,
}

/// The demo URL the pictures show (nothing listens there: pictures send nothing).
pub const PICTURE_DEMO_URL: &str = "http://127.0.0.1:4000";

impl Window {
    /// A window started with `--demo` on `demo`: its client ID, customer, password and scope
    /// filled in.
    pub fn demo(demo: &Demo) -> WindowBuilder {
        WindowBuilder {
            demo_url: Some(demo.url().to_owned()),
            ..Self::blank().runtime(demo.handle())
        }
    }

    /// A window with an empty form.
    pub fn blank() -> WindowBuilder {
        WindowBuilder {
            runtime: slow_runtime(),
            demo_url: None,
            clock: SystemTime::now,
            store: None,
            base_url: None,
            size: [1120.0, 720.0],
            history: None,
        }
    }

    /// A demo window for pictures: a fixed clock and a fixed demo URL.
    pub fn picture() -> WindowBuilder {
        WindowBuilder {
            demo_url: Some(PICTURE_DEMO_URL.to_owned()),
            ..Self::blank().clock(fixed_now)
        }
    }
}

impl WindowBuilder {
    pub fn runtime(mut self, runtime: tokio::runtime::Handle) -> Self {
        self.runtime = runtime;
        self
    }

    pub fn clock(mut self, clock: fn() -> SystemTime) -> Self {
        self.clock = clock;
        self
    }

    /// Profiles in `store` (by default an empty in-memory keyring).
    pub fn store(mut self, store: Arc<dyn ProfileStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The window's inner size in points (1120x720 unless told).
    pub fn size(mut self, width: f32, height: f32) -> Self {
        self.size = [width, height];
        self
    }

    /// The base URL in the form (Advanced), as if typed there.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// The kept history in `file` (by default there is none, as on a system without a data
    /// folder: no test writes to the real one).
    pub fn history(mut self, file: History) -> Self {
        self.history = Some(file);
        self
    }

    /// The real app built the way eframe builds it, drawn once the profiles were read.
    pub fn build(self) -> Window {
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(KeyringProfiles::in_memory().expect("in-memory keyring")));
        let clipboard = MemoryClipboard::default();
        let services = Services {
            runtime: self.runtime,
            auth_host: AuthHost::new(Transport::new().expect("transport")),
            profiles: store,
            clipboard: Box::new(clipboard.clone()),
            clock: self.clock,
            history: self.history,
        };
        let demo = self.demo_url.map(|url| DemoInfo { url });
        let harness = Harness::builder()
            .with_size(self.size)
            // Hover and fade animations take a few frames to settle.
            .with_max_steps(120)
            .wgpu()
            .build_eframe(move |cc| LoginApp::new(cc, services, demo));
        let mut window = Window { harness, clipboard };
        if let Some(url) = self.base_url {
            window.harness.state_mut().prefs.base_url = url;
        }
        window.settle_keyring();
        window
    }
}

impl Window {
    /// Steps frames until `done` holds, as the real event loop would while a request runs.
    pub fn step_until(&mut self, what: &str, done: impl Fn(&LoginApp) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(self.harness.state()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            self.harness.step();
            std::thread::sleep(Duration::from_millis(5));
        }
        self.harness.run();
    }

    /// Waits for the keyring calls under way (the list read at start-up, a save...).
    pub fn settle_keyring(&mut self) {
        self.step_until("the keyring", |app| !app.keyring_busy());
    }

    pub fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.harness.run();
    }

    /// Presses a button that starts an operation and waits until it is done.
    pub fn press_and_wait(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        // The click lands in this frame, which starts the operation.
        self.harness.step();
        self.step_until(label, |app| !app.is_busy());
    }

    pub fn get_token(&mut self) {
        self.press_and_wait("Get token");
    }

    /// Replaces a field's text the way a person does: focus, select all, type.
    pub fn retype(&mut self, label: &str, text: &str) {
        let field = self.harness.get_by_label(label);
        field.focus();
        self.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.harness.get_by_label(label).type_text(text);
        self.harness.run();
    }

    pub fn shows(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    /// Steps frames until some label contains `text` (results that need no operation in
    /// flight, such as background revocations).
    pub fn step_until_shows(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.shows(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}");
            self.harness.step();
            std::thread::sleep(Duration::from_millis(5));
        }
        self.harness.run();
    }
}

pub fn slow_runtime() -> tokio::runtime::Handle {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("rt")
        })
        .handle()
        .clone()
}

pub fn canned_token() -> String {
    canned_token_owned_by(Some("wZxQhJanEd"))
}

/// A token shaped like the demo's, for a customer or (no owner) a guest.
pub fn canned_token_owned_by(owner: Option<&str>) -> String {
    let header = serde_json::json!({"alg": "RS512", "typ": "JWT", "kid": "demo-rs512-1"});
    let claims = serde_json::json!({
        "organization": {"id": "dEmOrGaNiZ", "slug": "demo-store", "enterprise": false, "region": "eu-west-1"},
        "application": {"id": "dEmOaPpTst", "client_id": catalog::TEST_CLIENT_ID, "kind": "sales_channel", "public": true, "confidential": false},
        "owner": {"id": "wZxQhJanEd", "type": "Customer"},
        "market": {"id": ["BjvlWhjJKa"], "stock_location_ids": ["okJbAuVzMb"], "geocoder_id": null, "allows_external_prices": false},
        "scope": "market:code:europe", "exp": ISSUED_AT + 14_400, "iat": ISSUED_AT, "test": true, "rand": "x", "iss": "http://127.0.0.1:4000"
    });
    let mut claims = claims;
    match owner {
        Some(id) => claims["owner"]["id"] = id.into(),
        None => {
            claims.as_object_mut().expect("claims").remove("owner");
        }
    }
    format!(
        "{}.{}.{}",
        encode_part(header.to_string().as_bytes()),
        encode_part(claims.to_string().as_bytes()),
        encode_part(b"sig")
    )
}

pub fn canned_attempt(status: u16, body: &str) -> Attempt {
    canned_attempt_of(
        Grant::Password {
            username: catalog::CUSTOMER_EMAIL.into(),
            password: "pw".to_owned().into(),
        },
        status,
        body,
    )
}

/// A fixed answer to a request of any grant, sent at `ISSUED_AT`.
pub fn canned_attempt_of(grant: Grant, status: u16, body: &str) -> Attempt {
    let scopes = vec!["market:code:europe".to_owned()];
    let request = RequestDraft {
        base_url: "http://127.0.0.1:4000",
        client_id: catalog::TEST_CLIENT_ID,
        grant,
        scopes: &scopes,
        check_scopes: true,
        encoding: Encoding::Json,
        timeout: Duration::from_secs(30),
    }
    .check()
    .expect("request")
    .request;
    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let answer = HttpAnswer {
        status,
        headers: &headers,
        body: body.as_bytes(),
        truncated: false,
    };
    let started = UNIX_EPOCH + Duration::from_secs(ISSUED_AT);
    Attempt::answered(
        request.summary(),
        started,
        Duration::from_micros(12_300),
        &answer,
    )
}
