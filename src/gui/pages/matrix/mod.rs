//! The "Scope matrix" page: which scopes the login form's client and customer reach, customer
//! and guest side by side. Rows are typed one per line (or added from the form's scopes); the
//! run is `crate::matrix::run` on the app's runtime through the page's own task slot, each cell
//! arriving as a progress message, so the grid fills in as answers come and the UI never waits.

mod grid;

use std::str::FromStr;
use std::time::Duration;

use egui::{Context, Ui};
use secrecy::SecretString;

use crate::attempt::Attempt;
use crate::auth_host::AuthHost;
use crate::batch::Controls;
use crate::clock::Clock;
use crate::gui::clipboard::Copies;
use crate::gui::pages::login::{CopyItem, Form};
use crate::gui::preferences::Preferences;
use crate::gui::tasks::{Event, Tasks};
use crate::matrix::{self, parse_scope_rows, Cell, Column, Customer, Matrix, Plan};
use crate::pacing::{Pacer, RateLimit};

/// What the page's views ask for; applied at the end of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatrixCommand {
    Run,
    Stop,
    /// Add the scopes saved in the form (a profile's) as rows, one each.
    AddFormScopes,
    Select(usize, Column),
    /// Open the selected cell's whole answer on the login page.
    OpenSelected,
    Copy(CopyItem),
    /// Write the grid as CSV to the path typed, owner-only, never over an existing file.
    SaveCsv,
}

/// One run at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Run,
}

/// What the run sends back: each cell as it is final, then the whole matrix.
enum Message {
    Cell(usize, Column, Box<Cell>),
    Finished(Result<Matrix, String>),
}

pub struct MatrixPage {
    /// One row per line; several scopes on a line are one row.
    pub scopes_text: String,
    pub customer: bool,
    pub guest: bool,
    pub rate_text: String,
    /// Where *Save CSV* writes.
    pub csv_path: String,
    /// What the last save said: whether it worked, and the words.
    saved: Option<(bool, String)>,
    matrix: Option<Matrix>,
    selected: Option<(usize, Column)>,
    error: Option<String>,
    controls: Option<Controls>,
    tasks: Tasks<Message, Slot>,
    auth_host: AuthHost,
}

impl MatrixPage {
    pub fn new(
        auth_host: AuthHost,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        Self {
            scopes_text: String::new(),
            customer: true,
            guest: true,
            rate_text: "30/min".to_owned(),
            csv_path: String::new(),
            saved: None,
            matrix: None,
            selected: None,
            error: None,
            controls: None,
            tasks: Tasks::new(runtime, ctx, clock),
            auth_host,
        }
    }

    pub fn is_running(&self) -> bool {
        self.tasks.is_running(Slot::Run)
    }

    pub fn matrix(&self) -> Option<&Matrix> {
        self.matrix.as_ref()
    }

    /// What stopped the last Run from starting, or the run from ending well.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Shows a matrix as if its run had just ended (tests' pictures).
    pub fn show_matrix(&mut self, matrix: Matrix) {
        self.scopes_text = matrix
            .rows
            .iter()
            .map(|r| format!("{}\n", r.scope))
            .collect();
        self.selected = None;
        self.error = None;
        self.matrix = Some(matrix);
    }

    /// The start of a frame: cells that came in, and the end of a run.
    pub fn logic(&mut self) {
        for event in self.tasks.drain() {
            match event {
                Event::Progress {
                    message: Message::Cell(row, column, cell),
                    ..
                } => {
                    if let Some(row) = self.matrix.as_mut().and_then(|m| m.rows.get_mut(row)) {
                        *row.cell_mut(column) = *cell;
                    }
                }
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.controls = None;
                    match message {
                        Message::Finished(Ok(matrix)) => self.matrix = Some(matrix),
                        Message::Finished(Err(e)) => self.error = Some(e),
                        Message::Cell(..) => {}
                    }
                }
                Event::Lost { .. } => {
                    self.controls = None;
                    self.error = Some(
                        "The run stopped without its result (an internal error); the cells shown are what came back."
                            .to_owned(),
                    );
                }
            }
        }
    }

    /// Draws the page; what its views ask for is added to `commands`.
    pub fn show<C: From<MatrixCommand>>(
        &mut self,
        ui: &mut Ui,
        form: &Form,
        prefs: &Preferences,
        copies: &Copies<CopyItem>,
        commands: &mut Vec<C>,
    ) {
        let running = self.is_running();
        egui::Panel::left("matrix-rows")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add_space(8.0);
                    commands.extend(
                        grid::setup(ui, self, form, prefs, running)
                            .into_iter()
                            .map(C::from),
                    );
                });
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            if let Some(error) = copies.error() {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            let Some(matrix) = &self.matrix else {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.weak("Type the scopes to check, one row per line, and press Run.");
                    ui.weak("Each row gets a customer login and a guest token with that scope, side by side, and a verdict in plain words.");
                });
                return;
            };
            let asked = grid::show(ui, matrix, self.selected, running, copies.just_copied());
            commands.extend(
                grid::save_row(ui, &mut self.csv_path, self.saved.as_ref())
                    .into_iter()
                    .map(C::from),
            );
            commands.extend(asked.into_iter().map(C::from));
        });
    }

    /// Applies what the page's views asked for. `open` shows an answer on the login page.
    pub fn apply(
        &mut self,
        ctx: &Context,
        command: MatrixCommand,
        form: &Form,
        prefs: &Preferences,
        copies: &mut Copies<CopyItem>,
    ) -> Option<Attempt> {
        match command {
            MatrixCommand::Run if !self.is_running() => self.run(form, prefs),
            MatrixCommand::Run => {}
            MatrixCommand::Stop => {
                if let Some(controls) = &self.controls {
                    controls.stop();
                }
            }
            MatrixCommand::AddFormScopes => self.add_form_scopes(prefs),
            MatrixCommand::Select(row, column) => self.selected = Some((row, column)),
            MatrixCommand::OpenSelected => return self.selected_attempt().cloned(),
            MatrixCommand::SaveCsv => self.save_csv(),
            MatrixCommand::Copy(item) => {
                let text = match (item, &self.matrix) {
                    (CopyItem::MatrixMarkdown, Some(m)) => matrix::table::markdown(m),
                    (CopyItem::MatrixCsv, Some(m)) => matrix::table::csv(m),
                    _ => return None,
                };
                copies.copy(ctx, item, text, false, false);
            }
        }
        None
    }

    /// A few kilobytes to a local file: done at once (nothing here waits on the network).
    fn save_csv(&mut self) {
        let Some(matrix) = &self.matrix else { return };
        let path = std::path::Path::new(self.csv_path.trim());
        if path.as_os_str().is_empty() {
            self.saved = Some((false, "Type where to save the CSV.".to_owned()));
            return;
        }
        let written = crate::owner_only::write(
            path,
            &matrix::table::csv(matrix),
            crate::owner_only::IfExists::Keep,
        );
        self.saved = Some(match written {
            Ok(()) => (
                true,
                format!("Saved to {} (readable by you only).", path.display()),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => (
                false,
                format!("{} already exists: choose another name.", path.display()),
            ),
            Err(e) => (false, format!("Could not save to {}: {e}", path.display())),
        });
    }

    fn selected_attempt(&self) -> Option<&Attempt> {
        let (row, column) = self.selected?;
        self.matrix.as_ref()?.rows.get(row)?.cell(column).attempt()
    }

    fn add_form_scopes(&mut self, prefs: &Preferences) {
        let have: Vec<String> = self
            .scopes_text
            .lines()
            .map(|l| l.trim().to_owned())
            .collect();
        for scope in crate::auth::scope::split_scopes(&prefs.scope_text) {
            if !have.iter().any(|h| h == scope) {
                if !self.scopes_text.is_empty() && !self.scopes_text.ends_with('\n') {
                    self.scopes_text.push('\n');
                }
                self.scopes_text.push_str(scope);
                self.scopes_text.push('\n');
            }
        }
    }

    /// Checks everything before anything is sent; a problem is said and nothing runs.
    fn run(&mut self, form: &Form, prefs: &Preferences) {
        self.error = None;
        match self.plan(form, prefs) {
            Ok((plan, rate)) => {
                let (controls, listener) = Controls::new();
                self.controls = Some(controls);
                self.selected = None;
                self.matrix = Some(Matrix::of_plan(&plan));
                let host = self.auth_host.clone();
                let pacer = Pacer::new(rate);
                self.tasks.start_reporting(
                    Slot::Run,
                    "Checking scopes",
                    move |progress| async move {
                        let result =
                            matrix::run(&plan, &host, &pacer, listener, |row, column, cell| {
                                progress.send(Message::Cell(row, column, Box::new(cell.clone())));
                            })
                            .await;
                        // The plan holds the password: gone as soon as the run is.
                        drop(plan);
                        Message::Finished(result.map_err(|e| e.to_string()))
                    },
                );
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn plan(&self, form: &Form, prefs: &Preferences) -> Result<(Plan, RateLimit), String> {
        if !self.customer && !self.guest {
            return Err("Tick Customer or Guest: there is nothing to check.".to_owned());
        }
        let rate = RateLimit::from_str(self.rate_text.trim()).map_err(|e| format!("Rate: {e}"))?;
        let rows = parse_scope_rows(&[], Some(("Scopes", &self.scopes_text)))
            .map_err(|e| e.to_string())?;
        let customer = if self.customer {
            if form.email.trim().is_empty() || form.password.is_empty() {
                return Err("The customer column needs the email and password from the Login page (or untick Customer).".to_owned());
            }
            Some(Customer {
                email: form.email.trim().to_owned(),
                password: SecretString::from(form.password.as_str().to_owned()),
            })
        } else {
            None
        };
        let plan = Plan {
            base_url: prefs.base_url.clone(),
            client_id: form.client_id.clone(),
            customer,
            guest: self.guest,
            rows,
            encoding: prefs.encoding,
            timeout: Duration::from_secs(prefs.timeout_secs),
            revoke: false,
        };
        plan.check().map_err(|e| e.to_string())?;
        Ok((plan, rate))
    }
}
