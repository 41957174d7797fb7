//! The demo organization: clients, customers, markets, stock locations and stores. Public so the
//! CLI, the window's `--demo` and the tests all speak of the same people.

/// A test-mode sales channel: the one to try first.
pub const TEST_CLIENT_ID: &str = "demo-test-sales-channel";
/// A live-mode sales channel: tokens come back with `test: false`.
pub const LIVE_CLIENT_ID: &str = "demo-live-sales-channel";
/// An integration: may not use the password grant.
pub const INTEGRATION_CLIENT_ID: &str = "demo-integration";
pub const INTEGRATION_CLIENT_SECRET: &str = "demo-integration-secret";
/// A sales channel whose errors come back in the legacy RFC 6749 shape.
pub const LEGACY_CLIENT_ID: &str = "demo-legacy-sales-channel";

/// The customer that logs in.
pub const CUSTOMER_EMAIL: &str = "jane@example.com";
pub const CUSTOMER_PASSWORD: &str = "demo-password";
/// A customer in the B2B group: the only one that reaches the private market.
pub const B2B_EMAIL: &str = "bob@b2b.example.com";
pub const B2B_PASSWORD: &str = "demo-b2b-password";
/// A guest customer: exists, but has no password.
pub const GUEST_EMAIL: &str = "guest@example.com";
/// A customer whose email and password need escaping in every encoding.
pub const UNICODE_EMAIL: &str = "zoë+qa@example.com";
pub const UNICODE_PASSWORD: &str = "p&ss=:+% wörd€";
/// No customer has this email.
pub const UNKNOWN_EMAIL: &str = "nobody@example.com";

/// The scope the demo pre-fills.
pub const DEMO_SCOPE: &str = "market:code:europe";

pub struct Client {
    pub client_id: &'static str,
    pub kind: &'static str,
    pub test: bool,
    pub secret: Option<&'static str>,
    pub legacy_errors: bool,
    pub id: &'static str,
}

pub const CLIENTS: [Client; 4] = [
    Client {
        client_id: TEST_CLIENT_ID,
        kind: "sales_channel",
        test: true,
        secret: None,
        legacy_errors: false,
        id: "dEmOaPpTst",
    },
    Client {
        client_id: LIVE_CLIENT_ID,
        kind: "sales_channel",
        test: false,
        secret: None,
        legacy_errors: false,
        id: "dEmOaPpLve",
    },
    Client {
        client_id: INTEGRATION_CLIENT_ID,
        kind: "integration",
        test: true,
        secret: Some(INTEGRATION_CLIENT_SECRET),
        legacy_errors: false,
        id: "dEmOaPpInt",
    },
    Client {
        client_id: LEGACY_CLIENT_ID,
        kind: "sales_channel",
        test: true,
        secret: None,
        legacy_errors: true,
        id: "dEmOaPpLgc",
    },
];

pub struct Customer {
    pub email: &'static str,
    pub password: Option<&'static str>,
    pub id: &'static str,
    pub b2b: bool,
    /// Exists, but every login is refused.
    pub disabled: bool,
}

pub const CUSTOMERS: [Customer; 4] = [
    Customer {
        email: CUSTOMER_EMAIL,
        password: Some(CUSTOMER_PASSWORD),
        id: "wZxQhJanEd",
        b2b: false,
        disabled: false,
    },
    Customer {
        email: B2B_EMAIL,
        password: Some(B2B_PASSWORD),
        id: "kRbOhBobBz",
        b2b: true,
        disabled: false,
    },
    Customer {
        email: GUEST_EMAIL,
        password: None,
        id: "gUeStQlxYv",
        b2b: false,
        disabled: false,
    },
    Customer {
        email: UNICODE_EMAIL,
        password: Some(UNICODE_PASSWORD),
        id: "uNiZoeQaXw",
        b2b: false,
        disabled: false,
    },
];

pub struct Market {
    pub id: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub stock_location_ids: &'static [&'static str],
    /// Private markets are reachable only by customers of their customer group.
    pub private: bool,
}

pub const MARKETS: [Market; 3] = [
    Market {
        id: "BjvlWhjJKa",
        code: "europe",
        name: "Europe",
        stock_location_ids: &["okJbAuVzMb"],
        private: false,
    },
    Market {
        id: "vjzmJhvEDo",
        code: "usa",
        name: "USA",
        stock_location_ids: &["nKZkPuDEBm"],
        private: false,
    },
    Market {
        id: "qPmkNhRwLx",
        code: "b2b",
        name: "B2B (private)",
        stock_location_ids: &["okJbAuVzMb"],
        private: true,
    },
];

pub struct StockLocation {
    pub id: &'static str,
    pub code: &'static str,
}

pub const STOCK_LOCATIONS: [StockLocation; 2] = [
    StockLocation {
        id: "okJbAuVzMb",
        code: "eu-warehouse",
    },
    StockLocation {
        id: "nKZkPuDEBm",
        code: "us-warehouse",
    },
];

pub struct Store {
    pub id: &'static str,
    pub code: &'static str,
    pub market_id: &'static str,
}

pub const STORES: [Store; 1] = [Store {
    id: "sToReMiLaN",
    code: "milan",
    market_id: "BjvlWhjJKa",
}];

pub fn client(client_id: &str) -> Option<&'static Client> {
    CLIENTS.iter().find(|c| c.client_id == client_id)
}

pub fn customer(email: &str) -> Option<&'static Customer> {
    CUSTOMERS
        .iter()
        .find(|c| c.email.eq_ignore_ascii_case(email.trim()))
        .or_else(|| super::qa::customer(email))
}

pub fn customer_by_id(id: &str) -> Option<&'static Customer> {
    CUSTOMERS
        .iter()
        .find(|c| c.id == id)
        .or_else(|| super::qa::customer_by_id(id))
}

/// What the demo prints for people: where it listens and whom to log in as.
pub fn credentials_text(url: &str) -> String {
    use super::qa::{QA_OTHER_PASSWORD, QA_PASSWORD};
    format!(
        "Demo Commerce Layer auth server at {url}\n\
         (nothing here reaches Commerce Layer; tokens are signed with a demo key)\n\n\
         client IDs   {TEST_CLIENT_ID} (test), {LIVE_CLIENT_ID} (live),\n\
         \x20            {LEGACY_CLIENT_ID} (legacy error shape), {INTEGRATION_CLIENT_ID} (integration)\n\
         customers    {CUSTOMER_EMAIL} / {CUSTOMER_PASSWORD}\n\
         \x20            {B2B_EMAIL} / {B2B_PASSWORD} (reaches the private market b2b)\n\
         \x20            {GUEST_EMAIL} (guest, no password)   {UNKNOWN_EMAIL} (unknown)\n\
         \x20            qa001@example.com .. qa500@example.com / {QA_PASSWORD} (for bulk checks;\n\
         \x20            ending in 0: {QA_OTHER_PASSWORD}; ending in 7: disabled)\n\
         scopes       market:code:europe  market:code:usa  market:code:b2b  market:id:BjvlWhjJKa\n\
         \x20            stock_location:code:eu-warehouse  store:code:milan\n\n\
         try: CL_PASSWORD={CUSTOMER_PASSWORD} cl-login-tester login --base-url {url} \\\n\
         \x20      --client-id {TEST_CLIENT_ID} --email {CUSTOMER_EMAIL} --scope {DEMO_SCOPE}\n"
    )
}
