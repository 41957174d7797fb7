//! Profile work off the UI thread. Every [`ProfileStore`] call may block on the keyring (a D-Bus
//! call, an unlock prompt), so each runs in `spawn_blocking` on the app's runtime and reports on
//! a channel the app drains at the start of each frame.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

use egui::Context;

use super::profiles_view::{ProfileCommand, ProfilesState};
use super::state::{Form, Preferences};
use super::widgets::sentence;
use crate::attempt::Attempt;
use crate::auth::Issued;
use crate::profiles::{Profile, ProfileError, ProfileList, ProfileName, ProfileStore};

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
}

struct Done {
    generation: u64,
    job: Job,
    result: Result<(), ProfileError>,
    /// The profiles read after a change (or for a load); `None` when nothing changed.
    list: Option<Result<ProfileList, ProfileError>>,
}

pub struct ProfileJobs {
    store: Arc<dyn ProfileStore>,
    runtime: tokio::runtime::Handle,
    ctx: Context,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    generation: u64,
    /// The job whose list is shown: a list read by an older job is stale.
    shown: u64,
}

impl ProfileJobs {
    pub fn new(
        store: Arc<dyn ProfileStore>,
        runtime: tokio::runtime::Handle,
        ctx: Context,
    ) -> Self {
        let (tx, rx) = channel();
        Self {
            store,
            runtime,
            ctx,
            tx,
            rx,
            generation: 0,
            shown: 0,
        }
    }

    /// Reads the profiles in the background.
    pub fn load(&mut self, state: &mut ProfilesState) {
        self.run(state, Job::Load, |_| Ok(true));
    }

    /// Applies what the picker asked for: filling the form needs nothing but the list in
    /// memory; the rest goes to the keyring in the background.
    pub fn apply(
        &mut self,
        command: ProfileCommand,
        state: &mut ProfilesState,
        form: &mut Form,
        prefs: &mut Preferences,
    ) {
        match command {
            ProfileCommand::Choose(name) => {
                let Some(profile) = state.profile(&name) else {
                    return;
                };
                form.client_id.clone_from(&profile.client_id);
                prefs.base_url.clone_from(&profile.base_url);
                prefs.scope_text = profile.scopes.join(" ");
                form.error = None;
                state.selected = Some(profile.name.clone());
                state.notice = None;
            }
            ProfileCommand::Deselect => state.selected = None,
            ProfileCommand::Save(name, if_exists) => {
                let profile = match form_as_profile(state, name, form, prefs).checked() {
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
            ProfileCommand::Rename { from, to } => {
                let job = Job::Rename {
                    from: from.clone(),
                    to: to.clone(),
                };
                self.run(state, job, move |store| {
                    store.rename(&from, &to).map(|()| true)
                });
            }
            ProfileCommand::Remove(name) => {
                let job = Job::Remove(name.clone());
                self.run(state, job, move |store| store.remove(&name).map(|()| true));
            }
            ProfileCommand::Reload => self.load(state),
        }
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
        while let Ok(done) = self.rx.try_recv() {
            self.finish(state, done);
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
        self.generation += 1;
        let generation = self.generation;
        if job.is_read() {
            state.reading += 1;
        } else {
            state.changing += 1;
        }
        let store = self.store.clone();
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn_blocking(move || {
            let result = work(store.as_ref());
            let list = matches!(result, Ok(true)).then(|| store.list());
            // Send first, then wake the UI, so the frame that wakes finds the result.
            let _ = tx.send(Done {
                generation,
                job,
                result: result.map(|_| ()),
                list,
            });
            ctx.request_repaint();
        });
    }

    fn finish(&mut self, state: &mut ProfilesState, done: Done) {
        if done.job.is_read() {
            state.reading = state.reading.saturating_sub(1);
        } else {
            state.changing = state.changing.saturating_sub(1);
        }
        // The outcome first: a rename moves the selection before the new list drops the old name.
        match done.result {
            Ok(()) => succeeded(state, done.job),
            Err(error) => failed(state, done.job, &error),
        }
        if let Some(list) = done.list.filter(|_| done.generation > self.shown) {
            self.shown = done.generation;
            show_list(state, list);
        }
    }
}

/// The form as a profile named `name`. Replacing a profile keeps its note, and its mode while
/// the client ID stays the same.
fn form_as_profile(
    state: &ProfilesState,
    name: ProfileName,
    form: &Form,
    prefs: &Preferences,
) -> Profile {
    let previous = state.profile(&name);
    let client_id = form.client_id.trim();
    Profile {
        base_url: prefs.base_url.clone(),
        client_id: client_id.to_owned(),
        scopes: vec![prefs.scope_text.clone()],
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
            if state.selected_profile().is_none() {
                state.selected = None;
            }
        }
        Err(error) => {
            state.keyring_problem = Some(sentence(&error));
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

/// Keyring problems go to the banner; a name's problem next to the name field; the rest under
/// the picker.
fn failed(state: &mut ProfilesState, job: Job, error: &ProfileError) {
    if matches!(job, Job::Remove(_)) {
        state.confirm_remove = None;
    }
    let message = if error.is_keyring_problem() {
        state.keyring_problem = Some(sentence(error));
        // Where the person looks after clicking: a pointer to the banner's sentence.
        match &job {
            Job::Load | Job::RecordMode => return,
            Job::Save(_) => "Not saved: the keyring cannot be used (see the message above).",
            Job::Rename { .. } => {
                "Not renamed: the keyring cannot be used (see the message above)."
            }
            Job::Remove(_) => "Not deleted: the keyring cannot be used (see the message above).",
        }
        .to_owned()
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
