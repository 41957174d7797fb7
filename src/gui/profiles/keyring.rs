//! Profile work off the UI thread. Every [`ProfileStore`] call may block on the keyring (a D-Bus
//! call, an unlock prompt), so each runs as a blocking background task and its result is taken
//! in at the start of a frame.

use std::sync::Arc;

use egui::Context;

use super::{FormFields, KeyringProblem, ProfilesState};
use crate::attempt::Attempt;
use crate::auth::Issued;
use crate::clock::Clock;
use crate::facts::sentence;
use crate::gui::tasks::{Event, TaskId, Tasks};
use crate::profiles::{IfExists, Profile, ProfileError, ProfileList, ProfileName, ProfileStore};

enum Job {
    Load,
    RecordMode,
    Save(ProfileName),
    Rename { from: ProfileName, to: ProfileName },
    Remove(ProfileName),
}

impl Job {
    /// Reads run unseen; changes were asked for and disable the profile buttons meanwhile.
    fn is_read(&self) -> bool {
        matches!(self, Job::Load | Job::RecordMode)
    }

    fn label(&self) -> &'static str {
        match self {
            Job::Load => "Reading the profiles",
            Job::RecordMode => "Saving the token's mode in the profile",
            Job::Save(_) => "Saving the profile",
            Job::Rename { .. } => "Renaming the profile",
            Job::Remove(_) => "Deleting the profile",
        }
    }
}

/// What a keyring call brought back.
pub(super) struct Done {
    result: Result<(), ProfileError>,
    /// The profiles read after a change (or for a load); `None` when nothing changed.
    list: Option<Result<ProfileList, ProfileError>>,
}

pub(super) struct Keyring {
    store: Arc<dyn ProfileStore>,
    tasks: Tasks<Done>,
    /// The calls under way, and what each is for.
    pending: Vec<(TaskId, Job)>,
    /// The call whose list is shown: a list read by an older call is stale.
    shown: Option<TaskId>,
}

impl Keyring {
    pub fn new(
        store: Arc<dyn ProfileStore>,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            tasks: Tasks::new(runtime, ctx, clock),
            pending: Vec::new(),
            shown: None,
        }
    }

    /// Reads the profiles in the background.
    pub fn load(&mut self, state: &mut ProfilesState) {
        self.run(state, Job::Load, |_| Ok(true));
    }

    /// Saves the form as profile `name`, unless it cannot be one: then the name field says why.
    pub fn save(
        &mut self,
        state: &mut ProfilesState,
        name: ProfileName,
        if_exists: IfExists,
        form: FormFields<'_>,
    ) {
        let profile = match form_as_profile(state, name, form).checked() {
            Ok(profile) => profile,
            Err(e) => {
                if let Some(editor) = &mut state.editor {
                    editor.error = Some(sentence(&e));
                }
                return;
            }
        };
        let job = Job::Save(profile.name.clone());
        self.run(state, job, move |store| {
            store.save(&profile, if_exists).map(|()| true)
        });
    }

    pub fn rename(&mut self, state: &mut ProfilesState, from: ProfileName, to: ProfileName) {
        let job = Job::Rename {
            from: from.clone(),
            to: to.clone(),
        };
        self.run(state, job, move |store| {
            store.rename(&from, &to).map(|()| true)
        });
    }

    pub fn remove(&mut self, state: &mut ProfilesState, name: ProfileName) {
        let job = Job::Remove(name.clone());
        self.run(state, job, move |store| store.remove(&name).map(|()| true));
    }

    /// After a token came back: remembers its mode (test or live) in the selected profile, when
    /// the attempt used that profile's client ID, so a live profile shows as such from now on.
    pub fn record_mode(&mut self, state: &mut ProfilesState, attempt: &Attempt) {
        let Some(mode) = attempt.outcome.token.as_ref().and_then(Issued::mode) else {
            return;
        };
        let Some(profile) = state.selected_profile() else {
            return;
        };
        if profile.client_id != attempt.request.client_id.trim() || profile.mode == Some(mode) {
            return;
        }
        let name = profile.name.clone();
        self.run(state, Job::RecordMode, move |store| {
            store.record_mode(&name, mode)
        });
    }

    /// Takes in what finished since the last frame.
    pub fn drain(&mut self, state: &mut ProfilesState) {
        for event in self.tasks.drain() {
            let task = event.task();
            let Some(index) = self.pending.iter().position(|(t, _)| *t == task) else {
                continue;
            };
            let (_, job) = self.pending.swap_remove(index);
            if job.is_read() {
                state.reading = state.reading.saturating_sub(1);
            } else {
                state.changing = state.changing.saturating_sub(1);
            }
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.finish(state, task, job, message);
                }
                Event::Lost { .. } => lost(state, job),
            }
        }
    }

    /// Runs `work` off the UI thread; `Ok(true)` means the profiles may have changed, so they
    /// are read again in the same background task.
    fn run(
        &mut self,
        state: &mut ProfilesState,
        job: Job,
        work: impl FnOnce(&dyn ProfileStore) -> Result<bool, ProfileError> + Send + 'static,
    ) {
        if job.is_read() {
            state.reading += 1;
        } else {
            state.changing += 1;
        }
        let store = self.store.clone();
        let task = self.tasks.detach_blocking(job.label(), move || {
            let result = work(store.as_ref());
            let list = matches!(result, Ok(true)).then(|| store.list());
            Done {
                result: result.map(|_| ()),
                list,
            }
        });
        self.pending.push((task, job));
    }

    fn finish(&mut self, state: &mut ProfilesState, task: TaskId, job: Job, done: Done) {
        // The outcome first: a rename moves the selection before the new list drops the old name.
        match done.result {
            Ok(()) => succeeded(state, job),
            Err(error) => failed(state, job, &error),
        }
        // Lists can come back out of order: only a newer one replaces the one shown.
        if let Some(list) = done.list.filter(|_| self.shown < Some(task)) {
            self.shown = Some(task);
            show_list(state, list);
        }
    }
}

/// The form as a profile named `name`. Replacing a profile keeps its note, and its mode while
/// the client ID stays the same.
fn form_as_profile(state: &ProfilesState, name: ProfileName, form: FormFields<'_>) -> Profile {
    let previous = state.profile(&name);
    let client_id = form.client_id.trim();
    Profile {
        base_url: form.base_url.to_owned(),
        client_id: client_id.to_owned(),
        scopes: vec![form.scope_text.to_owned()],
        note: previous.and_then(|p| p.note.clone()),
        mode: previous
            .filter(|p| p.client_id == client_id)
            .and_then(|p| p.mode),
        name,
    }
}

fn show_list(state: &mut ProfilesState, list: Result<ProfileList, ProfileError>) {
    match list {
        Ok(list) => {
            state.list = Some(list);
            state.keyring_problem = None;
            state.details_open = false;
            if state.selected_profile().is_none() {
                state.selected = None;
            }
        }
        Err(error) => {
            state.keyring_problem = Some(if error.is_keyring_problem() {
                KeyringProblem::keyring(sentence(&error))
            } else {
                KeyringProblem::unread(sentence(&error))
            });
            // Read, if emptily: the picker stops saying it is reading.
            state.list.get_or_insert_with(ProfileList::default);
        }
    }
}

fn succeeded(state: &mut ProfilesState, job: Job) {
    match job {
        Job::Load | Job::RecordMode => {}
        Job::Save(name) => {
            state.editor = None;
            state.notice = None;
            state.selected = Some(name);
        }
        Job::Rename { from, to } => {
            state.editor = None;
            state.notice = None;
            if state
                .selected
                .as_ref()
                .is_some_and(|s| s.same_profile(&from))
            {
                state.selected = Some(to);
            }
        }
        Job::Remove(name) => {
            state.confirm_remove = None;
            state.notice = None;
            if state
                .selected
                .as_ref()
                .is_some_and(|s| s.same_profile(&name))
            {
                state.selected = None;
            }
        }
    }
}

/// Keyring problems go to the Profile box's line (its Details open when a change the person
/// asked for failed on it); a name's problem next to the name field; the rest under the picker.
fn failed(state: &mut ProfilesState, job: Job, error: &ProfileError) {
    if matches!(job, Job::Remove(_)) {
        state.confirm_remove = None;
    }
    let message = if error.is_keyring_problem() {
        state.keyring_problem = Some(KeyringProblem::keyring(sentence(error)));
        // Where the person looks after clicking: a pointer to the sentence, shown now.
        let message = match &job {
            Job::Load | Job::RecordMode => return,
            Job::Save(_) => "Not saved: the keyring cannot be used (see Details above).",
            Job::Rename { .. } => "Not renamed: the keyring cannot be used (see Details above).",
            Job::Remove(_) => "Not deleted: the keyring cannot be used (see Details above).",
        };
        state.details_open = true;
        message.to_owned()
    } else if matches!(job, Job::RecordMode) {
        format!("The token's mode was not saved in the profile: {error}")
    } else {
        sentence(error)
    };
    match (job, &mut state.editor) {
        (Job::Save(name), Some(editor)) => {
            editor.error = Some(message);
            editor.taken = matches!(error, ProfileError::Exists(_)).then_some(name);
        }
        (Job::Rename { .. }, Some(editor)) => editor.error = Some(message),
        _ => state.notice = Some(message),
    }
}

/// A keyring call that ended without an answer (a bug in it): said where the person looks, and
/// nothing waits for it any more.
fn lost(state: &mut ProfilesState, job: Job) {
    let message = format!(
        "{} stopped without an answer (an internal error). Try again.",
        job.label()
    );
    match (job, &mut state.editor) {
        (Job::Load, _) => {
            state.keyring_problem = Some(KeyringProblem::unread(message));
            state.list.get_or_insert_with(ProfileList::default);
        }
        (Job::Save(_) | Job::Rename { .. }, Some(editor)) => editor.error = Some(message),
        (Job::Remove(_), _) => {
            state.confirm_remove = None;
            state.notice = Some(message);
        }
        _ => state.notice = Some(message),
    }
}
