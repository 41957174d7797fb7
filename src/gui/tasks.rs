//! Work off the UI thread, for every part of the window: one place that spawns on the app's
//! runtime, wakes the UI when something comes back, and drops what nobody waits for any more.
//!
//! A task either runs in a *slot* (one at a time: a new one stops and replaces the one running
//! there, and a generation number drops whatever the replaced one still sends) or *detached*
//! (never replaced: background revocations, keyring calls). Each owner keeps its own `Tasks`
//! over its own message type and drains it at the start of each frame (`App::logic`). A task
//! sends first and then wakes the UI, so the frame it wakes finds the message. A task that ends
//! without its result (it panicked) is reported once, as [`Event::Lost`], instead of leaving
//! its slot busy for ever.

use std::borrow::Cow;
use std::future::Future;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, SystemTime};

use egui::Context;

use crate::clock::Clock;

/// One task, in the order they were started: a later task has a greater id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(u64);

/// What came back from a task.
#[derive(Debug)]
pub enum Event<M, S> {
    /// The task's result. A slot's task ends its run with it: the slot is free again.
    Done {
        task: TaskId,
        slot: Option<S>,
        message: M,
    },
    /// An intermediate message of a task still running (a row of a long run).
    Progress {
        task: TaskId,
        slot: Option<S>,
        message: M,
    },
    /// The task ended without sending its result (it panicked); its slot is free again.
    Lost {
        task: TaskId,
        slot: Option<S>,
        label: Cow<'static, str>,
    },
}

impl<M, S> Event<M, S> {
    /// The task it came from.
    pub fn task(&self) -> TaskId {
        match self {
            Event::Done { task, .. } | Event::Progress { task, .. } | Event::Lost { task, .. } => {
                *task
            }
        }
    }
}

/// A task not yet drained as done or lost.
#[derive(Debug)]
pub struct Running<S> {
    task: TaskId,
    slot: Option<S>,
    label: Cow<'static, str>,
    started: SystemTime,
    abort: Option<tokio::task::AbortHandle>,
}

impl<S> Running<S> {
    pub fn task(&self) -> TaskId {
        self.task
    }

    /// What the task is doing, in the words the window shows while it runs.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// When it started, by the app's clock.
    pub fn started(&self) -> SystemTime {
        self.started
    }
}

/// What a task sends back: its intermediate messages, its result, or (from its drop guard)
/// that it ended without one.
enum Sent<M> {
    Progress(M),
    Done(M),
    Lost,
}

struct Envelope<M> {
    task: TaskId,
    sent: Sent<M>,
}

/// A task's way back to the UI, for intermediate messages: cheap to clone, so a long job can
/// hand it to the parts it runs concurrently. Every message wakes the UI.
pub struct Progress<M> {
    task: TaskId,
    tx: Sender<Envelope<M>>,
    ctx: Context,
}

impl<M> Clone for Progress<M> {
    fn clone(&self) -> Self {
        Self {
            task: self.task,
            tx: self.tx.clone(),
            ctx: self.ctx.clone(),
        }
    }
}

impl<M> Progress<M> {
    pub fn send(&self, message: M) {
        self.deliver(Sent::Progress(message));
    }

    /// Sends first, then wakes the UI, so the frame that wakes finds the message. A send fails
    /// only once the window is gone, when nobody is left to tell.
    fn deliver(&self, sent: Sent<M>) {
        let _ = self.tx.send(Envelope {
            task: self.task,
            sent,
        });
        self.ctx.request_repaint();
    }
}

/// Goes with the task's work: sends its result, or, dropped without one (a panic, an abort),
/// says it is lost. A loss the owner caused (cancel, replace) is dropped at the drain, since
/// that task is no longer running by then.
struct Reply<M> {
    to: Progress<M>,
    sent: bool,
}

impl<M> Reply<M> {
    fn done(mut self, message: M) {
        self.sent = true;
        self.to.deliver(Sent::Done(message));
    }
}

impl<M> Drop for Reply<M> {
    fn drop(&mut self) {
        if !self.sent {
            self.to.deliver(Sent::Lost);
        }
    }
}

/// The background tasks of one part of the window, whose results are messages `M`; `S` names
/// the slots that run one task at a time.
pub struct Tasks<M, S = ()> {
    runtime: tokio::runtime::Handle,
    ctx: Context,
    clock: Clock,
    tx: Sender<Envelope<M>>,
    rx: Receiver<Envelope<M>>,
    last: u64,
    running: Vec<Running<S>>,
}

impl<M, S> Tasks<M, S>
where
    M: Send + 'static,
    S: Copy + PartialEq,
{
    /// Tasks on `runtime` that wake `ctx`; `clock` says when they started.
    pub fn new(runtime: tokio::runtime::Handle, ctx: Context, clock: Clock) -> Self {
        let (tx, rx) = channel();
        Self {
            runtime,
            ctx,
            clock,
            tx,
            rx,
            last: 0,
            running: Vec::new(),
        }
    }

    /// The runtime the tasks run on (to wait for work when the window closes).
    pub fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// Runs `work` in `slot`, stopping the task running there.
    pub fn start(
        &mut self,
        slot: S,
        label: impl Into<Cow<'static, str>>,
        work: impl Future<Output = M> + Send + 'static,
    ) -> TaskId {
        self.start_reporting(slot, label, |_| work)
    }

    /// Like [`Tasks::start`], for a long job: `work` is given a [`Progress`] to send
    /// intermediate messages through.
    pub fn start_reporting<F>(
        &mut self,
        slot: S,
        label: impl Into<Cow<'static, str>>,
        work: impl FnOnce(Progress<M>) -> F,
    ) -> TaskId
    where
        F: Future<Output = M> + Send + 'static,
    {
        self.cancel(slot);
        self.spawn(Some(slot), label.into(), work)
    }

    /// Runs `work` beside whatever else runs; nothing replaces it.
    pub fn detach(
        &mut self,
        label: impl Into<Cow<'static, str>>,
        work: impl Future<Output = M> + Send + 'static,
    ) -> TaskId {
        self.spawn(None, label.into(), |_| work)
    }

    /// Runs blocking `work` (a keyring call, which may wait on an unlock prompt) on the
    /// runtime's blocking threads, never on the UI thread. It cannot be stopped once started.
    pub fn detach_blocking(
        &mut self,
        label: impl Into<Cow<'static, str>>,
        work: impl FnOnce() -> M + Send + 'static,
    ) -> TaskId {
        let reply = self.next_reply();
        let task = reply.to.task;
        drop(self.runtime.spawn_blocking(move || reply.done(work())));
        self.track(task, None, label.into(), None);
        task
    }

    /// Stops the task running in `slot`: nothing it sends arrives any more.
    pub fn cancel(&mut self, slot: S) -> Option<Running<S>> {
        let index = self.running.iter().position(|r| r.slot == Some(slot))?;
        let running = self.running.swap_remove(index);
        if let Some(abort) = &running.abort {
            abort.abort();
        }
        Some(running)
    }

    pub fn running(&self, slot: S) -> Option<&Running<S>> {
        self.running.iter().find(|r| r.slot == Some(slot))
    }

    pub fn is_running(&self, slot: S) -> bool {
        self.running(slot).is_some()
    }

    /// How long the task in `slot` has run, by the app's clock.
    pub fn waited(&self, slot: S) -> Option<Duration> {
        let started = self.running(slot)?.started;
        Some((self.clock)().duration_since(started).unwrap_or_default())
    }

    /// Whether any task, in a slot or detached, is still to report.
    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// What came back since the last call, oldest first; messages of stopped or replaced tasks
    /// are left out.
    pub fn drain(&mut self) -> Vec<Event<M, S>> {
        let mut events = Vec::new();
        while let Ok(envelope) = self.rx.try_recv() {
            events.extend(self.accept(envelope));
        }
        events
    }

    fn accept(&mut self, envelope: Envelope<M>) -> Option<Event<M, S>> {
        let Envelope { task, sent } = envelope;
        let index = self.running.iter().position(|r| r.task == task)?;
        let slot = self.running.get(index)?.slot;
        Some(match sent {
            Sent::Progress(message) => Event::Progress {
                task,
                slot,
                message,
            },
            Sent::Done(message) => {
                self.running.swap_remove(index);
                Event::Done {
                    task,
                    slot,
                    message,
                }
            }
            Sent::Lost => {
                let running = self.running.swap_remove(index);
                Event::Lost {
                    task,
                    slot,
                    label: running.label,
                }
            }
        })
    }

    fn spawn<F>(
        &mut self,
        slot: Option<S>,
        label: Cow<'static, str>,
        work: impl FnOnce(Progress<M>) -> F,
    ) -> TaskId
    where
        F: Future<Output = M> + Send + 'static,
    {
        let reply = self.next_reply();
        let task = reply.to.task;
        let work = work(reply.to.clone());
        let handle = self.runtime.spawn(async move { reply.done(work.await) });
        self.track(task, slot, label, Some(handle.abort_handle()));
        task
    }

    fn next_reply(&mut self) -> Reply<M> {
        self.last += 1;
        Reply {
            to: Progress {
                task: TaskId(self.last),
                tx: self.tx.clone(),
                ctx: self.ctx.clone(),
            },
            sent: false,
        }
    }

    fn track(
        &mut self,
        task: TaskId,
        slot: Option<S>,
        label: Cow<'static, str>,
        abort: Option<tokio::task::AbortHandle>,
    ) {
        self.running.push(Running {
            task,
            slot,
            label,
            started: (self.clock)(),
            abort,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Instant, UNIX_EPOCH};
    use tokio::sync::oneshot;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Slot {
        Operation,
        Other,
    }

    fn started_at() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_796_000_000)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime")
    }

    /// Tasks on `rt` waking a context that counts its wake-ups.
    fn tasks<M: Send + 'static>(
        rt: &tokio::runtime::Runtime,
    ) -> (Tasks<M, Slot>, Arc<AtomicUsize>) {
        let ctx = Context::default();
        let wakes = Arc::new(AtomicUsize::new(0));
        let counter = wakes.clone();
        ctx.set_repaint_observer(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        (Tasks::new(rt.handle().clone(), ctx, started_at), wakes)
    }

    /// Waits (as frames would) until the UI was woken `n` times in all.
    fn woken(wakes: &AtomicUsize, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while wakes.load(Ordering::SeqCst) < n {
            assert!(
                Instant::now() < deadline,
                "the UI was never woken {n} times"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn done<M, S>(event: Event<M, S>) -> (Option<S>, M) {
        match event {
            Event::Done { slot, message, .. } => (slot, message),
            Event::Progress { .. } => panic!("progress, not a result"),
            Event::Lost { label, .. } => panic!("{label} was lost"),
        }
    }

    /// A task's work that never ends by itself; `alive` closes once it was stopped.
    async fn hang(alive: oneshot::Sender<()>) -> &'static str {
        std::future::pending::<()>().await;
        drop(alive);
        "never"
    }

    #[test]
    fn a_result_wakes_the_ui_after_it_was_sent_and_frees_its_slot() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let (go, gate) = oneshot::channel::<()>();
        let task = tasks.start(Slot::Operation, "Logging in…", async move {
            let _ = gate.await;
            42
        });
        let running = tasks.running(Slot::Operation).expect("running");
        assert_eq!(running.task(), task);
        assert_eq!(running.label(), "Logging in…");
        assert_eq!(running.started(), started_at());
        assert_eq!(tasks.waited(Slot::Operation), Some(Duration::ZERO));
        assert!(!tasks.is_running(Slot::Other));
        assert!(tasks.drain().is_empty(), "nothing before it ends");

        go.send(()).expect("the task waits");
        woken(&wakes, 1);
        // The frame that wakes finds the result: it was sent before the wake-up.
        let events = tasks.drain();
        assert_eq!(events.len(), 1);
        let event = events.into_iter().next().expect("one event");
        assert!(matches!(event, Event::Done { task: t, .. } if t == task));
        assert_eq!(done(event), (Some(Slot::Operation), 42));
        assert!(!tasks.is_running(Slot::Operation), "the slot is free again");
        assert!(tasks.drain().is_empty(), "said once");
    }

    #[test]
    fn a_new_task_stops_the_one_in_its_slot_whose_messages_never_arrive() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let (alive, stopped) = oneshot::channel();
        let old = tasks.start(Slot::Operation, "Logging in…", hang(alive));
        let new = tasks.start(Slot::Operation, "Refreshing…", async { "new" });
        assert!(new > old, "a later task has a greater id");
        assert_eq!(
            tasks.running(Slot::Operation).map(Running::label),
            Some("Refreshing…")
        );
        assert!(rt.block_on(stopped).is_err(), "the old task was stopped");
        // The new result and the old task's end were both sent.
        woken(&wakes, 2);
        let events: Vec<_> = tasks.drain().into_iter().map(done).collect();
        assert_eq!(events, [(Some(Slot::Operation), "new")]);
    }

    #[test]
    fn cancel_stops_the_task_and_says_what_it_was_doing() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let (alive, stopped) = oneshot::channel();
        tasks.start(Slot::Operation, "Revoking the access token…", hang(alive));
        let cancelled = tasks.cancel(Slot::Operation).expect("it ran");
        assert_eq!(cancelled.label(), "Revoking the access token…");
        assert!(!tasks.is_running(Slot::Operation));
        assert!(rt.block_on(stopped).is_err(), "stopped");
        woken(&wakes, 1);
        assert!(tasks.drain().is_empty(), "a cancelled task is not reported");
        assert!(tasks.cancel(Slot::Operation).is_none(), "nothing left");
    }

    #[test]
    fn detached_tasks_run_beside_the_slots_and_block_off_the_ui_thread() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let (go, gate) = oneshot::channel::<()>();
        tasks.start(Slot::Operation, "Logging in…", async move {
            let _ = gate.await;
            "login".to_owned()
        });
        tasks.detach("revoking", async { "revoked".to_owned() });
        tasks.detach("revoking", async { "revoked too".to_owned() });
        let ui_thread = std::thread::current().id();
        tasks.detach_blocking("keyring", move || {
            format!(
                "off the UI thread: {}",
                std::thread::current().id() != ui_thread
            )
        });
        woken(&wakes, 3);
        let mut detached: Vec<_> = tasks.drain().into_iter().map(done).collect();
        detached.sort();
        assert_eq!(
            detached,
            [
                (None, "off the UI thread: true".to_owned()),
                (None, "revoked".to_owned()),
                (None, "revoked too".to_owned()),
            ]
        );
        assert!(
            tasks.is_running(Slot::Operation),
            "the slot's task still runs"
        );
        assert!(tasks.is_busy());

        go.send(()).expect("the task waits");
        woken(&wakes, 4);
        let login: Vec<_> = tasks.drain().into_iter().map(done).collect();
        assert_eq!(login, [(Some(Slot::Operation), "login".to_owned())]);
        assert!(!tasks.is_busy());
    }

    #[test]
    fn progress_arrives_in_order_before_the_result_and_each_message_wakes_the_ui() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        tasks.start_reporting(
            Slot::Operation,
            "Checking 3 logins…",
            |progress| async move {
                for row in 1..=3 {
                    progress.send(row);
                }
                0
            },
        );
        woken(&wakes, 4);
        let events: Vec<_> = tasks
            .drain()
            .into_iter()
            .map(|event| match event {
                Event::Progress { slot, message, .. } => (false, slot, message),
                Event::Done { slot, message, .. } => (true, slot, message),
                Event::Lost { label, .. } => panic!("{label} was lost"),
            })
            .collect();
        let op = Some(Slot::Operation);
        assert_eq!(
            events,
            [
                (false, op, 1),
                (false, op, 2),
                (false, op, 3),
                (true, op, 0)
            ]
        );
        assert_eq!(wakes.load(Ordering::SeqCst), 4, "one wake-up per message");
    }

    #[test]
    fn progress_of_a_replaced_task_is_dropped() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let kept = Arc::new(Mutex::new(None));
        let keep = kept.clone();
        let (alive, _stopped) = oneshot::channel();
        tasks.start_reporting(Slot::Operation, "Checking…", move |progress| {
            *keep.lock().expect("lock") = Some(progress);
            hang(alive)
        });
        let (go, gate) = oneshot::channel::<()>();
        tasks.start(Slot::Operation, "Checking again…", async move {
            let _ = gate.await;
            "again"
        });
        let old = kept
            .lock()
            .expect("lock")
            .take()
            .expect("a progress handle");
        old.send("a row of the old run");
        go.send(()).expect("the task waits");
        woken(&wakes, 3);
        let events: Vec<_> = tasks.drain().into_iter().map(done).collect();
        assert_eq!(events, [(Some(Slot::Operation), "again")]);
    }

    fn the_tasks_own_bug() -> u32 {
        panic!("a bug in the task (this panic is part of the test)")
    }

    #[test]
    fn a_task_that_panics_is_reported_once_and_frees_its_slot() {
        let rt = runtime();
        let (mut tasks, wakes) = tasks(&rt);
        let task = tasks.start(Slot::Operation, "Logging in…", async {
            the_tasks_own_bug()
        });
        tasks.detach_blocking("Saving the profile", the_tasks_own_bug);
        woken(&wakes, 2);
        let mut lost: Vec<_> = tasks
            .drain()
            .into_iter()
            .map(|event| match event {
                Event::Lost { task, slot, label } => (task, slot, label.into_owned()),
                _ => panic!("a result from a task that panicked"),
            })
            .collect();
        lost.sort_by_key(|(task, ..)| *task);
        assert_eq!(lost.len(), 2);
        assert_eq!(
            lost.first(),
            Some(&(task, Some(Slot::Operation), "Logging in…".to_owned()))
        );
        assert_eq!(
            lost.get(1).map(|(_, slot, label)| (*slot, label.as_str())),
            Some((None, "Saving the profile"))
        );
        assert!(!tasks.is_running(Slot::Operation) && !tasks.is_busy());
        assert!(tasks.drain().is_empty(), "said once");
    }
}
