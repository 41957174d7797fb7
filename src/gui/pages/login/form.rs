//! The login form: what was typed (client ID, customer, password, the field a message belongs
//! to) and how it is drawn (scope builder, advanced options, Get token). Base URL, scope, body
//! encoding and timeout are preferences: they survive a restart.

use std::time::Duration;

use egui::{Key, RichText, TextEdit, Ui};
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::LoginCommand;
use crate::auth::scope::{split_scopes, ScopeKey, ScopeKind};
use crate::auth::{Encoding, Grant, InputError, RequestDraft, Required};
use crate::diagnosis::Input;
use crate::gui::preferences::Preferences;

/// One row of the scope builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRow {
    pub kind: ScopeKind,
    pub key: ScopeKey,
    pub value: String,
}

impl ScopeRow {
    fn text(&self) -> String {
        format!(
            "{}:{}:{}",
            self.kind.as_str(),
            self.key.as_str(),
            self.value.trim()
        )
    }
}

/// The builder's rows read from scope text, leniently (a value may still be empty), or `None`
/// when some part does not fit a row (legacy or malformed): then it is edited as text.
pub fn rows_from_text(text: &str) -> Option<Vec<ScopeRow>> {
    split_scopes(text)
        .map(|part| {
            let mut pieces = part.splitn(3, ':');
            let (kind, key) = (pieces.next()?, pieces.next()?);
            let kind = ScopeKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
            let key = ScopeKey::ALL.into_iter().find(|k| k.as_str() == key)?;
            Some(ScopeRow {
                kind,
                key,
                value: pieces.next()?.to_owned(),
            })
        })
        .collect()
}

/// The message for a builder row left empty: the parser's "the value after the last `:` is
/// empty" names syntax, while the person sees a row they added and did not fill.
pub fn empty_row_error(text: &str) -> Option<FieldError> {
    let rows = rows_from_text(text)?;
    let index = rows.iter().position(|row| row.value.trim().is_empty())?;
    Some(FieldError {
        field: Field::Scope,
        message: format!("Scope row {} is empty: fill it or remove it", index + 1),
    })
}

pub fn text_from_rows(rows: &[ScopeRow]) -> String {
    rows.iter()
        .map(ScopeRow::text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a validation message belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ClientId,
    Email,
    Password,
    Scope,
    BaseUrl,
    Timeout,
}

/// The message next to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl Field {
    /// Whether this field is (part of) the input an answer blames.
    fn blamed_by(self, input: Input) -> bool {
        matches!(
            (input, self),
            (Input::Credentials, Field::Email | Field::Password)
                | (Input::ClientId, Field::ClientId)
                | (Input::Scope, Field::Scope)
                | (Input::BaseUrl, Field::BaseUrl)
        )
    }
}

/// A field's label, red and marked when the answer blames its input.
fn field_label(ui: &mut Ui, text: &str, at_fault: bool) -> egui::Response {
    if at_fault {
        ui.label(
            RichText::new(text)
                .strong()
                .color(ui.visuals().error_fg_color),
        )
        .on_hover_text("The answer blames this input")
    } else {
        ui.label(text)
    }
}

impl FieldError {
    pub fn from_input(error: &InputError) -> Self {
        let field = match error {
            InputError::Empty(Required::ClientId) => Field::ClientId,
            InputError::Empty(Required::Email) => Field::Email,
            InputError::Empty(Required::Password) => Field::Password,
            InputError::Scope(_) => Field::Scope,
            InputError::BadTimeout => Field::Timeout,
            InputError::Empty(Required::BaseUrl | Required::RefreshToken | Required::Token)
            | InputError::BadUrl { .. }
            | InputError::InsecureUrl(_)
            | InputError::UnsupportedScheme(_) => Field::BaseUrl,
        };
        Self {
            field,
            message: error.to_string(),
        }
    }
}

/// The login form as typed.
#[derive(Default)]
pub struct Form {
    pub client_id: String,
    pub email: String,
    /// Zeroized when replaced or dropped.
    pub password: Zeroizing<String>,
    pub reveal_password: bool,
    pub include_password_in_curl: bool,
    pub error: Option<FieldError>,
    /// The field to put the cursor in at the next frame (at launch).
    pub focus: Option<Field>,
    /// Focus the password field when it is next drawn ("Run again").
    focus_password: bool,
}

impl Form {
    /// Where the cursor goes at launch: the first empty field, or the customer's email when all
    /// are filled (the demo, a profile): a ticket is about one customer, the rest stays.
    pub fn first_to_fill(&self) -> Field {
        [
            (Field::ClientId, self.client_id.as_str()),
            (Field::Email, self.email.as_str()),
            (Field::Password, self.password.as_str()),
        ]
        .into_iter()
        .find(|(_, text)| text.trim().is_empty())
        .map_or(Field::Email, |(field, _)| field)
    }

    /// Moves the cursor into `field` when it was asked for.
    fn take_focus(&mut self, field: Field, edit: &egui::Response) {
        if self.focus == Some(field) {
            edit.request_focus();
            self.focus = None;
        }
    }

    pub fn error_for(&self, field: Field) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The password must be typed (again): the field is emptied (zeroized), takes the focus
    /// and says why.
    pub fn ask_for_password(&mut self) {
        self.password = Zeroizing::default();
        self.focus_password = true;
        self.error = Some(FieldError {
            field: Field::Password,
            message: "Type the password again: the history never keeps it.".to_owned(),
        });
    }

    /// The same draft the CLI builds from its flags, so the same rules apply.
    pub fn draft<'a>(&'a self, prefs: &'a Preferences, scopes: &'a [String]) -> RequestDraft<'a> {
        RequestDraft {
            base_url: &prefs.base_url,
            client_id: &self.client_id,
            grant: Grant::Password {
                username: self.email.clone(),
                password: SecretString::from(self.password.as_str().to_owned()),
            },
            scopes,
            check_scopes: true,
            encoding: prefs.encoding,
            timeout: Duration::from_secs(prefs.timeout_secs),
        }
    }
}

const FIELD_WIDTH: f32 = 320.0;

/// Draws the form. `busy` is how long the running request has waited, if one runs.
pub fn show(
    ui: &mut Ui,
    form: &mut Form,
    prefs: &mut Preferences,
    busy: Option<Duration>,
    at_fault: Option<Input>,
) -> Option<LoginCommand> {
    let blamed = |field: Field| at_fault.is_some_and(|input| field.blamed_by(input));
    // Enter sends only from a text field: on a focused button it is that button's click.
    let enter_in_text_field = ui.input(|i| i.key_pressed(Key::Enter))
        && ui
            .memory(|m| m.focused())
            .is_some_and(|id| TextEdit::load_state(ui.ctx(), id).is_some());
    let mut command = None;
    egui::Grid::new("login-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            text_row(
                ui,
                form,
                Field::ClientId,
                "Client ID",
                blamed(Field::ClientId),
                |form| &mut form.client_id,
                "sales channel client ID",
            );
            text_row(
                ui,
                form,
                Field::Email,
                "Customer email",
                blamed(Field::Email),
                |form| &mut form.email,
                "customer@example.com",
            );
            password_row(ui, form, blamed(Field::Password));
            scope_rows(ui, form, prefs, blamed(Field::Scope));
        });
    ui.add_space(6.0);
    advanced(ui, form, prefs, blamed(Field::BaseUrl));
    ui.add_space(10.0);

    ui.horizontal(|ui| {
        let get = ui.add_enabled(
            busy.is_none(),
            egui::Button::new(RichText::new("Get token").strong()),
        );
        if get.clicked() {
            command = Some(LoginCommand::Submit);
        }
        if let Some(waited) = busy {
            ui.spinner();
            ui.label(format!(
                "Waiting for the server… {:.1} s",
                waited.as_secs_f32()
            ));
            if ui.button("Cancel").clicked() {
                command = Some(LoginCommand::Cancel);
            }
        } else {
            ui.weak("Enter also sends");
        }
    });

    let escape = ui.input(|i| i.key_pressed(Key::Escape));
    if enter_in_text_field && busy.is_none() && command.is_none() {
        command = Some(LoginCommand::Submit);
    }
    if escape && busy.is_some() {
        command = Some(LoginCommand::Cancel);
    }
    command
}

fn error_line(ui: &mut Ui, message: Option<&str>) {
    if let Some(message) = message {
        ui.label("");
        ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
        ui.end_row();
    }
}

fn text_row(
    ui: &mut Ui,
    form: &mut Form,
    field: Field,
    label: &str,
    at_fault: bool,
    value: impl FnOnce(&mut Form) -> &mut String,
    hint: &str,
) {
    let label = field_label(ui, label, at_fault);
    let edit = ui
        .add(
            TextEdit::singleline(value(form))
                .hint_text(hint)
                .desired_width(FIELD_WIDTH),
        )
        .labelled_by(label.id);
    form.take_focus(field, &edit);
    ui.end_row();
    if edit.changed() && form.error_for(field).is_some() {
        form.error = None;
    }
    error_line(ui, form.error_for(field).map(str::to_owned).as_deref());
}

/// egui keeps the undo points of a field as strings, copies of the password that would outlive
/// what the field shows; the password field keeps none (the wiping allocator clears them as
/// they drop).
fn forget_history(ui: &Ui, id: egui::Id) {
    if let Some(mut state) = TextEdit::load_state(ui.ctx(), id) {
        state.clear_undoer();
        TextEdit::store_state(ui.ctx(), id, state);
    }
}

fn password_row(ui: &mut Ui, form: &mut Form, at_fault: bool) {
    let label = field_label(ui, "Password", at_fault);
    ui.horizontal(|ui| {
        let edit = ui
            .add(
                TextEdit::singleline(&mut *form.password)
                    .password(!form.reveal_password)
                    .desired_width(FIELD_WIDTH - 70.0),
            )
            .labelled_by(label.id);
        form.take_focus(Field::Password, &edit);
        forget_history(ui, edit.id);
        if edit.changed() {
            // Deleting leaves the removed characters in the string's spare capacity: the text
            // moves to a new string and the old one is wiped whole (Zeroizing) as it drops.
            form.password = Zeroizing::new(form.password.as_str().to_owned());
            if form.error_for(Field::Password).is_some() {
                form.error = None;
            }
        }
        if std::mem::take(&mut form.focus_password) {
            edit.request_focus();
        }
        ui.toggle_value(&mut form.reveal_password, "Show");
    });
    ui.end_row();
    error_line(
        ui,
        form.error_for(Field::Password)
            .map(str::to_owned)
            .as_deref(),
    );
}

fn scope_rows(ui: &mut Ui, form: &mut Form, prefs: &mut Preferences, at_fault: bool) {
    field_label(ui, "Scope", at_fault);
    ui.vertical(|ui| {
        let mut changed = false;
        match rows_from_text(&prefs.scope_text) {
            Some(mut rows) => {
                let mut remove = None;
                for (i, row) in rows.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        changed |= scope_row(ui, i, row);
                        if ui
                            .small_button("Remove")
                            .on_hover_text("Remove this scope")
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    rows.remove(i);
                    changed = true;
                }
                if ui.small_button("Add scope").clicked() {
                    rows.push(ScopeRow {
                        kind: ScopeKind::Market,
                        key: ScopeKey::Code,
                        value: String::new(),
                    });
                    changed = true;
                }
                if changed {
                    prefs.scope_text = text_from_rows(&rows);
                }
            }
            None => {
                ui.weak(
                    "Some parts do not fit the builder (legacy or malformed): edit the text below.",
                );
            }
        }
        let label = ui.weak(if prefs.scope_text.trim().is_empty() {
            "Scope text (no scope: the token gets market:all)"
        } else {
            "Scope text"
        });
        let edit = ui
            .add(
                TextEdit::singleline(&mut prefs.scope_text)
                    .hint_text("market:code:europe stock_location:id:…")
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label.id);
        if (edit.changed() || changed) && form.error_for(Field::Scope).is_some() {
            form.error = None;
        }
    });
    ui.end_row();
    error_line(
        ui,
        form.error_for(Field::Scope).map(str::to_owned).as_deref(),
    );
}

/// One builder row: [market|stock location|store] x [id|code] x value.
fn scope_row(ui: &mut Ui, index: usize, row: &mut ScopeRow) -> bool {
    let mut changed = false;
    egui::ComboBox::from_id_salt(("scope-kind", index))
        .selected_text(row.kind.label())
        .width(110.0)
        .show_ui(ui, |ui| {
            for kind in ScopeKind::ALL {
                changed |= ui
                    .selectable_value(&mut row.kind, kind, kind.label())
                    .changed();
            }
        })
        .response
        .accessible_name(format!("Scope {} kind", index + 1))
        .on_hover_text("What the scope limits the token to: market, stock location or store");
    egui::ComboBox::from_id_salt(("scope-key", index))
        .selected_text(row.key.as_str())
        .width(50.0)
        .show_ui(ui, |ui| {
            for key in ScopeKey::ALL {
                changed |= ui
                    .selectable_value(&mut row.key, key, key.as_str())
                    .changed();
            }
        })
        .response
        .accessible_name(format!("Scope {} by id or code", index + 1))
        .on_hover_text("Name it by its id or by its code");
    let hint = match row.key {
        ScopeKey::Id => "id",
        ScopeKey::Code => "code",
    };
    changed |= ui
        .add(
            TextEdit::singleline(&mut row.value)
                .hint_text(hint)
                .desired_width(110.0),
        )
        .accessible_name(format!("Scope {} value", index + 1))
        .on_hover_text(format!("{} {}", row.kind.label(), row.key.as_str()))
        .changed();
    changed
}

fn advanced(ui: &mut Ui, form: &mut Form, prefs: &mut Preferences, base_url_at_fault: bool) {
    let needs_attention = base_url_at_fault
        || form.error_for(Field::BaseUrl).is_some()
        || form.error_for(Field::Timeout).is_some();
    egui::CollapsingHeader::new("Advanced")
        .open(needs_attention.then_some(true))
        .show(ui, |ui| {
            egui::Grid::new("advanced").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let label = field_label(ui, "Base URL", base_url_at_fault);
                let edit = ui
                    .add(TextEdit::singleline(&mut prefs.base_url).desired_width(FIELD_WIDTH))
                    .labelled_by(label.id)
                    .on_hover_text("The auth host, or the full token URL. Plain http only to this machine.");
                if edit.changed() && form.error_for(Field::BaseUrl).is_some() {
                    form.error = None;
                }
                ui.end_row();
                error_line(ui, form.error_for(Field::BaseUrl).map(str::to_owned).as_deref());

                ui.label("Body encoding");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut prefs.encoding, Encoding::Json, "JSON");
                    ui.radio_value(&mut prefs.encoding, Encoding::Form, "Form (RFC 6749)");
                });
                ui.end_row();

                let label = ui.label("Timeout (s)");
                ui.add(egui::DragValue::new(&mut prefs.timeout_secs).range(1..=600)).labelled_by(label.id);
                ui.end_row();
                error_line(ui, form.error_for(Field::Timeout).map(str::to_owned).as_deref());
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_tolerate_empty_values() {
        let rows = rows_from_text("market:code:eu, stock_location:id:").expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].value, "");
        assert_eq!(text_from_rows(&rows), "market:code:eu stock_location:id:");
        assert!(rows_from_text("market:1234").is_none());
        assert_eq!(rows_from_text(""), Some(vec![]));
    }

    #[test]
    fn an_empty_row_is_named_by_its_number() {
        let error = empty_row_error("market:code:eu market:code:").expect("an empty row");
        assert_eq!(error.field, Field::Scope);
        assert_eq!(error.message, "Scope row 2 is empty: fill it or remove it");
        assert_eq!(empty_row_error("market:code:eu"), None);
        assert_eq!(empty_row_error(""), None);
        assert_eq!(
            empty_row_error("market:1234"),
            None,
            "legacy text: the parser speaks"
        );
    }
}
