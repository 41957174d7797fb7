//! Runs a matrix: every cell's request checked before anything is sent, then sent through the
//! shared [`Pacer`] (a 429 puts the cell back and holds everything off), a few at a time; each
//! answer goes to the face as it comes; a refused client ID stops the run, since every cell
//! would fail the same way, and the cells not sent say why.

use std::collections::VecDeque;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use super::{Cell, Column, MatrixRow};
use crate::attempt::follow_up::revoke_request;
use crate::attempt::{Attempt, TokenKind};
use crate::auth::{Encoding, Grant, InputError, OutcomeKind, RequestDraft, TokenRequest};
use crate::auth_host::AuthHost;
use crate::batch::{Control, ControlReceiver, StopReason};
use crate::pacing::{Pacer, MAX_TRIES};

/// Requests in flight at most: the rate limit, not this, sets the pace.
const IN_FLIGHT: usize = 4;

/// The customer whose login fills the customer column.
#[derive(Debug)]
pub struct Customer {
    pub email: String,
    pub password: SecretString,
}

/// What a face asks: where, as whom, which rows, and which columns.
#[derive(Debug)]
pub struct Plan {
    pub base_url: String,
    pub client_id: String,
    /// The customer column; `None` leaves it out.
    pub customer: Option<Customer>,
    /// The guest column (`client_credentials`, no secret).
    pub guest: bool,
    /// One scope row each (several scopes space-separated), checked by `parse_scope_rows`.
    pub rows: Vec<String>,
    pub encoding: Encoding,
    pub timeout: Duration,
    /// Revoke each issued token right after its cell, through the same pacing.
    pub revoke: bool,
}

/// One cell's request.
#[derive(Debug)]
struct CellRequest {
    row: usize,
    column: Column,
    request: TokenRequest,
    tries: u32,
}

/// A whole matrix: every row, every cell accounted for.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub client_id: String,
    pub base_url: String,
    pub email: Option<String>,
    pub rows: Vec<MatrixRow>,
    /// Why the run ended before its last cell.
    pub stopped: Option<StopReason>,
    /// Issued tokens whose revocation did not succeed (with `revoke`).
    pub not_revoked: u32,
}

impl Matrix {
    /// The empty matrix a plan fills: every asked cell waiting, every other absent.
    pub fn of_plan(plan: &Plan) -> Self {
        let waiting = |asked: bool| {
            if asked {
                Cell::NotRun("waiting for its turn".to_owned())
            } else {
                Cell::Absent
            }
        };
        Self {
            client_id: plan.client_id.trim().to_owned(),
            base_url: plan.base_url.clone(),
            email: plan.customer.as_ref().map(|c| c.email.trim().to_owned()),
            rows: plan
                .rows
                .iter()
                .map(|scope| MatrixRow {
                    scope: scope.clone(),
                    customer: waiting(plan.customer.is_some()),
                    guest: waiting(plan.guest),
                })
                .collect(),
            stopped: None,
            not_revoked: 0,
        }
    }

    /// Every cell asked for, whatever it holds.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows
            .iter()
            .flat_map(|row| [&row.customer, &row.guest])
            .filter(|cell| !matches!(cell, Cell::Absent))
    }

    /// The documented JSON: never a password or a token.
    pub fn to_json(&self) -> Value {
        json!({
            "client_id": self.client_id,
            "base_url": self.base_url,
            "email": self.email,
            "rows": self.rows.iter().map(MatrixRow::to_json).collect::<Vec<_>>(),
            "stopped": self.stopped.as_ref().map(|reason| json!({
                "code": reason.code(),
                "explanation": reason.explanation(),
            })),
        })
    }
}

impl MatrixRow {
    pub fn cell_mut(&mut self, column: Column) -> &mut Cell {
        match column {
            Column::Customer => &mut self.customer,
            Column::Guest => &mut self.guest,
        }
    }

    pub fn cell(&self, column: Column) -> &Cell {
        match column {
            Column::Customer => &self.customer,
            Column::Guest => &self.guest,
        }
    }
}

impl Plan {
    /// Every cell's request, row by row (customer, then guest), checked with the same rules as
    /// a single login before anything is sent.
    fn requests(&self) -> Result<VecDeque<CellRequest>, InputError> {
        let mut requests = VecDeque::new();
        for (row, scope) in self.rows.iter().enumerate() {
            let scopes = std::slice::from_ref(scope);
            let draft = |grant: Grant| {
                RequestDraft {
                    base_url: &self.base_url,
                    client_id: &self.client_id,
                    grant,
                    scopes,
                    check_scopes: true,
                    encoding: self.encoding,
                    timeout: self.timeout,
                }
                .check()
                .map(|checked| checked.request)
            };
            if let Some(customer) = &self.customer {
                let request = draft(Grant::Password {
                    username: customer.email.clone(),
                    password: customer.password.clone(),
                })?;
                requests.push_back(CellRequest {
                    row,
                    column: Column::Customer,
                    request,
                    tries: 0,
                });
            }
            if self.guest {
                let request = draft(Grant::ClientCredentials {
                    client_secret: None,
                })?;
                requests.push_back(CellRequest {
                    row,
                    column: Column::Guest,
                    request,
                    tries: 0,
                });
            }
        }
        Ok(requests)
    }

    /// Checks every request without sending anything: what a face calls before it starts.
    pub fn check(&self) -> Result<(), InputError> {
        self.requests().map(|_| ())
    }
}

/// A cell's answer, after its signature check and (with `revoke`) its tokens' revocation.
struct Answered {
    request: CellRequest,
    attempt: Attempt,
    not_revoked: u32,
}

/// Runs the plan. `on_cell` hears of each cell as its final answer comes (row index, column,
/// the cell); the matrix returned holds every cell, those not sent saying why.
pub async fn run(
    plan: &Plan,
    host: &AuthHost,
    pacer: &Pacer,
    mut controls: ControlReceiver,
    mut on_cell: impl FnMut(usize, Column, &Cell),
) -> Result<Matrix, InputError> {
    let mut queue = plan.requests()?;
    let mut matrix = Matrix::of_plan(plan);
    let mut tasks: JoinSet<Answered> = JoinSet::new();
    let mut in_flight: Vec<(usize, Column)> = Vec::new();
    let mut listening = true;
    loop {
        let control = *controls.borrow();
        if matrix.stopped.is_none() && matches!(control, Control::Stop | Control::StopNow) {
            matrix.stopped = Some(StopReason::Interrupted);
        }
        if control == Control::StopNow {
            tasks.abort_all();
            break;
        }
        if tasks.is_empty() && (queue.is_empty() || matrix.stopped.is_some()) {
            break;
        }
        let want_slot = matrix.stopped.is_none()
            && control == Control::Run
            && tasks.len() < IN_FLIGHT
            && !queue.is_empty();
        tokio::select! {
            changed = controls.changed(), if listening => {
                // The face dropped its handle: nobody can pause or stop any more.
                listening = changed.is_ok();
            }
            Some(joined) = tasks.join_next() => {
                let Ok(answered) = joined else { continue };
                let Answered { mut request, attempt, not_revoked } = answered;
                in_flight.retain(|cell| *cell != (request.row, request.column));
                matrix.not_revoked += not_revoked;
                request.tries += 1;
                let kind = attempt.kind();
                if kind == OutcomeKind::RateLimited
                    && request.tries < MAX_TRIES
                    && matrix.stopped.is_none()
                {
                    queue.push_front(request);
                    continue;
                }
                if let Some(code) = refused_client(&attempt) {
                    matrix.stopped.get_or_insert(StopReason::ClientRefused(code));
                }
                if let Some(row) = matrix.rows.get_mut(request.row) {
                    let cell = row.cell_mut(request.column);
                    *cell = Cell::Answered(Box::new(attempt));
                    on_cell(request.row, request.column, cell);
                }
            }
            slot = pacer.slot(), if want_slot => {
                let Some(request) = queue.pop_front() else { continue };
                in_flight.push((request.row, request.column));
                let host = host.clone();
                let pacer = pacer.clone();
                let revoke = plan.revoke;
                tasks.spawn(async move {
                    let mut attempt = host.transport().token(&request.request).await;
                    slot.settle(&attempt);
                    attempt.signature = host.check(&attempt, request.request.timeout).await;
                    let not_revoked = if revoke {
                        revoke_issued(&host, &pacer, &attempt, request.request.timeout).await
                    } else {
                        0
                    };
                    Answered { request, attempt, not_revoked }
                });
            }
        }
    }
    let why = matrix
        .stopped
        .as_ref()
        .map_or_else(|| "the run ended first".to_owned(), StopReason::explanation);
    for (row, column) in queue
        .iter()
        .map(|r| (r.row, r.column))
        .chain(in_flight.iter().copied())
    {
        if let Some(row_cells) = matrix.rows.get_mut(row) {
            let cell = row_cells.cell_mut(column);
            *cell = Cell::NotRun(why.clone());
            on_cell(row, column, cell);
        }
    }
    Ok(matrix)
}

/// The code when the server refused the client ID itself: every other cell would fail too.
fn refused_client(attempt: &Attempt) -> Option<String> {
    let code = attempt.outcome.error.as_ref()?.code.as_str();
    matches!(code, "invalid_client" | "unauthorized_client").then(|| code.to_owned())
}

/// Revokes an answer's tokens (the refresh token first: it lives longest), each paced; how
/// many could not be revoked.
async fn revoke_issued(
    host: &AuthHost,
    pacer: &Pacer,
    attempt: &Attempt,
    timeout: Duration,
) -> u32 {
    let mut failed = 0;
    for kind in TokenKind::BOTH {
        let Some(request) = revoke_request(attempt, kind, timeout) else {
            continue;
        };
        let Ok(request) = request else {
            failed += 1;
            continue;
        };
        let (answer, _) = pacer.send_retrying(|| host.revoke(&request), |_| {}).await;
        if answer.kind() != OutcomeKind::Ok {
            failed += 1;
        }
    }
    failed
}
