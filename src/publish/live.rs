//! Live event posts: when the event file, the series or the templates change after the post
//! went out and before the event ends, the posted messages are edited in place (our own, by
//! id), a forum post's thread is renamed, trailing messages are added or deleted, and a change
//! of date or time, a cancellation or its undoing gets one short reply. Each change once: the
//! ledger keeps a hash of every message as posted and what readers were told of the times.

use chrono::DateTime;

use super::{ActionReport, Ctx};
use crate::discord::{DiscordError, Mentions, NewMessage, Snowflake};
use crate::error::Error;
use crate::event::{Event, Status};
use crate::render;
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};
use crate::time::Language;

/// A SHA-256 of a message's text, in hex: the ledger knows what was posted without keeping it.
pub fn hash(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the readers of the post were told of the times and status: `start/end/status`.
pub fn announced(ctx: &Ctx) -> String {
    announced_of(ctx.event)
}

fn announced_of(event: &crate::event::Event) -> String {
    format!(
        "{}/{}/{}",
        event.starts_at.to_utc().to_rfc3339(),
        event.ends_at.to_utc().to_rfc3339(),
        status_name(event.status)
    )
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Scheduled => "scheduled",
        Status::Cancelled => "cancelled",
        Status::Tentative => "tentative",
    }
}

/// Record in `record` what the post now says: its messages, times and (forum) title.
pub fn stamp(ctx: &Ctx, record: &mut Record, contents: &[String], forum: bool) {
    record.hashes = contents.iter().map(|c| hash(c)).collect();
    record.announced = Some(announced(ctx));
    record.title = forum.then(|| hash(&super::event_post::thread_name(ctx)));
}

/// What differs between the post on Discord and what the files now say.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    /// Indexes of the messages whose text changed.
    pub edits: Vec<usize>,
    /// Messages to add after the last one.
    pub appends: usize,
    /// Trailing messages no longer needed.
    pub deletes: usize,
    /// The forum post's thread name changed.
    pub rename: bool,
    /// `(told, now)`: the readers were told other times or status.
    pub notice: Option<(String, String)>,
}

/// For `--json`: the changes and their summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pending {
    pub summary: String,
    #[serde(flatten)]
    pub changes: Changes,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
            && self.appends == 0
            && self.deletes == 0
            && !self.rename
            && self.notice.is_none()
    }

    /// One line for a report, e.g. `edit 1 message, notice of the new time`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.edits.is_empty() {
            parts.push(format!("edit {} message(s) in place", self.edits.len()));
        }
        if self.appends > 0 {
            parts.push(format!("add {} message(s)", self.appends));
        }
        if self.deletes > 0 {
            parts.push(format!("delete {} trailing message(s)", self.deletes));
        }
        if self.rename {
            parts.push("rename the forum post".to_string());
        }
        if let Some((told, now)) = &self.notice {
            parts.push(format!(
                "reply with a notice ({} → {})",
                readable(told),
                readable(now)
            ));
        }
        parts.join(", ")
    }
}

fn readable(announced: &str) -> String {
    announced.replace('/', " ")
}

/// The post this event's ledger says is ours and may be edited: done, with message ids, not
/// made by hand, not gone.
fn editable(ctx: &Ctx, held: &Held) -> Option<Record> {
    if ctx.event.post_id.is_some() {
        return None;
    }
    held.get(Action::Post.key())
        .filter(|r| r.outcome == Outcome::Done && !r.message_ids.is_empty() && !r.gone)
        .cloned()
}

/// A forum post's record names the thread as its channel and as its first message.
fn is_forum(record: &Record) -> bool {
    record.channel_id.as_ref() == record.message_ids.first()
}

/// What would change, from the files and the ledger alone (no request). `None` when the post
/// is not ours to edit, the event has ended, or the ledger predates the hashes.
pub fn changes(ctx: &Ctx, held: &Held) -> Result<Option<(Record, Vec<String>, Changes)>, Error> {
    let Some(record) = editable(ctx, held) else {
        return Ok(None);
    };
    pending_for(ctx.templates, &ctx.page(), ctx.event, record, ctx.now)
}

/// For `plan` and `show`: the edits and notice the next `tick` would make, from the files and
/// the ledger (no request); `None` when there are none.
pub fn pending(
    templates: &crate::render::templates::Templates,
    page: &crate::render::context::Page,
    event: &crate::event::Event,
    ledger: &crate::state::Ledger,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Pending> {
    let record = ledger
        .get(Action::Post.key())
        .filter(|r| r.outcome == Outcome::Done && !r.message_ids.is_empty() && !r.gone)
        .filter(|_| event.post_id.is_none())?;
    let (_, _, changes) = pending_for(templates, page, event, record.clone(), now).ok()??;
    (!changes.is_empty()).then(|| Pending {
        summary: changes.summary(),
        changes,
    })
}

fn pending_for(
    templates: &crate::render::templates::Templates,
    page: &crate::render::context::Page,
    event: &crate::event::Event,
    record: Record,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(Record, Vec<String>, Changes)>, Error> {
    if now >= event.ends_at || record.hashes.is_empty() {
        return Ok(None);
    }
    let contents = render::post(templates, page).map_err(Error::from)?;
    let posted = record.hashes.len().min(record.message_ids.len());
    let mut changes = Changes {
        edits: (0..posted.min(contents.len()))
            .filter(|&i| record.hashes[i] != hash(&contents[i]))
            .collect(),
        appends: contents.len().saturating_sub(posted),
        deletes: posted.saturating_sub(contents.len()),
        ..Changes::default()
    };
    if is_forum(&record) {
        changes.rename =
            record.title.as_deref() != Some(hash(&super::event_post::thread_name_of(page)).as_str());
        // The starter message of a forum post cannot go: a shorter post keeps it.
    }
    let now = announced_of(event);
    if let Some(told) = record.announced.as_ref().filter(|told| **told != now) {
        changes.notice = Some((told.clone(), now));
    }
    Ok(Some((record, contents, changes)))
}

/// Bring the event post up to date with the files, once. `None` when nothing changed.
pub fn sync(ctx: &Ctx, held: &mut Held) -> Result<Option<ActionReport>, Error> {
    let action = Action::Post;
    if let Some(record) = editable(ctx, held).filter(|r| r.hashes.is_empty()) {
        // A ledger from before edits were tracked: what is posted now is the baseline.
        let contents = render::post(ctx.templates, &ctx.page()).map_err(Error::from)?;
        let mut record = record;
        let forum = is_forum(&record);
        stamp(ctx, &mut record, &contents, forum);
        held.record(action.key(), record)?;
        return Ok(None);
    }
    let Some((mut record, contents, changes)) = changes(ctx, held)? else {
        return Ok(None);
    };
    if changes.is_empty() {
        return Ok(None);
    }
    let channel: Snowflake = record
        .channel_id
        .as_deref()
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| Error::Scrubbed {
            message: format!(
                "the ledger of `{}` names no channel for its event post",
                ctx.event.id
            ),
            hint: None,
        })?;
    if ctx.dry_run {
        let diff = diff(ctx, channel, &record, &contents, &changes);
        return Ok(Some(ctx.report(
            action,
            Outcome::Done,
            format!("would {}{diff}", changes.summary()),
        )));
    }
    match apply(ctx, held, &mut record, channel, &contents, &changes) {
        Ok(()) => {}
        Err(Error::Discord(e)) if unknown_message(&e) => {
            record.gone = true;
            record.detail = Some("the event post was deleted on Discord".into());
            held.record(action.key(), record)?;
            return Ok(Some(ctx.report(
                action,
                Outcome::Failed,
                format!(
                    "could not edit the event post: it was deleted on Discord (10008); it is not edited \
                     again (hint: to post it anew, run `tsudoi post {} --repost`)",
                    ctx.event.id
                ),
            )));
        }
        Err(e) => return Err(e),
    }
    Ok(Some(ctx.report(action, Outcome::Done, done_summary(&changes))))
}

fn done_summary(changes: &Changes) -> String {
    let summary = changes.summary();
    let summary = summary
        .replace("edit ", "edited ")
        .replace("add ", "added ")
        .replace("delete ", "deleted ")
        .replace("rename ", "renamed ")
        .replace("reply with", "replied with");
    format!("updated: {summary}")
}

fn unknown_message(error: &DiscordError) -> bool {
    error.api().is_some_and(|a| a.code == Some(10008))
}

/// The edits, in order, each written through to the ledger as it succeeds, so a run cut short
/// resumes where it stopped. The notice goes last, after the post says the same.
fn apply(
    ctx: &Ctx,
    held: &mut Held,
    record: &mut Record,
    channel: Snowflake,
    contents: &[String],
    changes: &Changes,
) -> Result<(), Error> {
    let key = Action::Post.key();
    let none = Mentions::default();
    for &i in &changes.edits {
        let id = parse(&record.message_ids[i])?;
        ctx.client.edit_message(channel, id, &contents[i], &none)?;
        record.hashes[i] = hash(&contents[i]);
        held.record(key, record.clone())?;
    }
    if changes.rename {
        let name = super::event_post::thread_name(ctx);
        ctx.client.rename_channel(channel, &name)?;
        record.title = Some(hash(&name));
        held.record(key, record.clone())?;
    }
    let posted = record.hashes.len().min(record.message_ids.len());
    for (i, content) in contents.iter().enumerate().skip(posted) {
        let nonce_key = format!("{}/{}", ctx.key(Action::Post, i), &hash(content)[..16]);
        if let Some(created) = ctx
            .client
            .create_message(channel, &NewMessage::new(content.clone(), &nonce_key))?
        {
            record.message_ids.truncate(i);
            record.hashes.truncate(i);
            record.message_ids.push(created.id.to_string());
            record.hashes.push(hash(content));
            held.record(key, record.clone())?;
        }
    }
    while record.message_ids.len() > contents.len().max(1) {
        let id = parse(record.message_ids.last().expect("more than one"))?;
        ctx.client.delete_message(channel, id)?;
        record.message_ids.pop();
        record.hashes.truncate(record.message_ids.len());
        held.record(key, record.clone())?;
    }
    if let Some((told, now)) = &changes.notice {
        notify(ctx, held, channel, record, told, now)?;
        record.announced = Some(now.clone());
    }
    record.at = ctx.now;
    held.record(key, record.clone())
}

fn parse(id: &str) -> Result<Snowflake, Error> {
    id.parse().map_err(|_| Error::Scrubbed {
        message: format!("the ledger holds a message id that is not a number: `{id}`"),
        hint: Some("restore `.state/` from a backup or delete the damaged record".into()),
    })
}

/// The ledger key of the notice of one change: the same for every run and machine that sees it.
pub fn notice_key(told: &str, now: &str) -> String {
    format!("change-{}", &hash(&format!("{told}→{now}"))[..16])
}

/// One reply to the event post for a change of times or status, once: the ledger first, then
/// the message with a nonce derived from the change.
fn notify(
    ctx: &Ctx,
    held: &mut Held,
    channel: Snowflake,
    record: &Record,
    told: &str,
    now: &str,
) -> Result<(), Error> {
    let key = notice_key(told, now);
    if held.get(&key).is_some_and(|r| r.outcome == Outcome::Done) {
        return Ok(());
    }
    let role = holders_role(ctx)?;
    let text = notice_text(ctx, told, now, role);
    // Another machine (its own ledger) may have sent it: ours, same text, in the channel.
    if let Some(Some(found)) = super::own_messages(ctx, channel, std::slice::from_ref(&text))?.pop() {
        let mut record = Record::new(Outcome::Done, ctx.now);
        record.channel_id = Some(channel.to_string());
        record.message_ids.push(found.id.to_string());
        record.detail = Some("adopted: found on Discord".into());
        return held.record(&key, record);
    }
    let nonce_key = format!("{}/{key}", ctx.key(Action::Post, 0));
    let mut intent = Record::new(Outcome::Started, ctx.now);
    intent.channel_id = Some(channel.to_string());
    intent.nonce = Some(crate::discord::nonce(&nonce_key));
    held.record(&key, intent.clone())?;
    let mut message = NewMessage::new(text, &nonce_key);
    message.reply_to = record.message_ids.first().and_then(|m| m.parse().ok());
    message.mentions.roles = role.into_iter().collect();
    if let Some(created) = ctx.client.create_message(channel, &message)? {
        intent.message_ids.push(created.id.to_string());
    }
    intent.outcome = Outcome::Done;
    held.record(&key, intent)
}

/// The event role when it exists and someone holds it: only then is it pinged.
fn holders_role(ctx: &Ctx) -> Result<Option<Snowflake>, Error> {
    let guild = ctx.series.guild_id()?;
    let name = ctx.event.role_name();
    let Some(role) = ctx.client.roles(guild)?.into_iter().find(|r| r.name == name) else {
        return Ok(None);
    };
    let held = ctx
        .client
        .members(guild)?
        .iter()
        .any(|m| m.roles.contains(&role.id));
    Ok(held.then_some(role.id))
}

fn parts(announced: &str) -> Option<(i64, i64, &str)> {
    let mut parts = announced.splitn(3, '/');
    let start = DateTime::parse_from_rfc3339(parts.next()?).ok()?.timestamp();
    let end = DateTime::parse_from_rfc3339(parts.next()?).ok()?.timestamp();
    Some((start, end, parts.next()?))
}

/// The notice: what changed, old → new, with Discord timestamps each reader sees in their zone.
pub fn notice_text(ctx: &Ctx, told: &str, now: &str, role: Option<Snowflake>) -> String {
    let title = ctx.page().event.title;
    let ja = ctx.series.language == Language::Ja;
    let span = |(start, end, _): (i64, i64, &str)| format!("<t:{start}:F>–<t:{end}:t>");
    let (old, new) = (parts(told), parts(now));
    let ping = role.map(|r| format!("<@&{r}> ")).unwrap_or_default();
    let reason = &ctx.event.reason;
    let body = match (old, new) {
        (_, Some(new)) if new.2 == "cancelled" => match (ja, reason.is_empty()) {
            (true, true) => format!("**{title}** は中止になりました。"),
            (true, false) => format!("**{title}** は中止になりました。理由: {reason}"),
            (false, true) => format!("**{title}** is cancelled."),
            (false, false) => format!("**{title}** is cancelled. Reason: {reason}"),
        },
        (Some(old), Some(new)) if old.2 == "cancelled" => match ja {
            true => format!("**{title}** は開催します: {}", span(new)),
            false => format!("**{title}** is back on: {}", span(new)),
        },
        (Some(old), Some(new)) => match ja {
            true => format!("**{title}** の日時が変わりました: {} → {}", span(old), span(new)),
            false => format!("**{title}** has moved: {} → {}", span(old), span(new)),
        },
        _ => match ja {
            true => format!("**{title}** の日時が変わりました。"),
            false => format!("**{title}** has changed."),
        },
    };
    format!("{ping}{body}")
}

/// `post --dry-run`: the text diff of each message that would change, read back from Discord
/// (the ledger keeps only hashes); a message that cannot be read is shown whole.
fn diff(ctx: &Ctx, channel: Snowflake, record: &Record, contents: &[String], changes: &Changes) -> String {
    let mut out = String::new();
    let read = |i: usize| -> String {
        record
            .message_ids
            .get(i)
            .and_then(|m| m.parse().ok())
            .and_then(|m| ctx.client.message(channel, m).ok())
            .map(|m| m.content)
            .unwrap_or_default()
    };
    let indexes = changes
        .edits
        .iter()
        .copied()
        .chain(record.message_ids.len()..contents.len())
        .chain(contents.len().max(1)..record.message_ids.len());
    for i in indexes {
        let old = read(i);
        let new = contents.get(i).map(String::as_str).unwrap_or_default();
        out.push_str(&format!(
            "\n--- message {} (posted)\n+++ message {} (now)\n",
            i + 1,
            i + 1
        ));
        let text = similar::TextDiff::from_lines(old.as_str(), new);
        out.push_str(&text.unified_diff().context_radius(2).to_string());
    }
    if let Some((told, now)) = &changes.notice {
        out.push_str(&format!("\n+++ notice\n+{}\n", notice_text(ctx, told, now, None)));
    }
    out
}

/// What a cancelled event's later actions are recorded as, so nothing is shared, announced or
/// granted for it; the same words tell which records to drop when it is back on.
pub const NOT_NEEDED: &str = "not needed: the event is cancelled";

/// Cancelled: record every action not done as not needed. Back on: drop those records, so
/// each is planned again against the event's times. Writes only what changes.
pub fn settle_status(
    held: &mut Held,
    event: &Event,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    let status = event.status;
    let reminders = event
        .policy
        .remind_before
        .iter()
        .map(|before| Action::Remind(*before));
    let mut changed = false;
    for action in Action::ALL
        .into_iter()
        .chain(reminders)
        .filter(|a| a.pointless_when_cancelled())
    {
        let key = action.record_key();
        let record = held.get(&key);
        let ours =
            record.is_some_and(|r| r.outcome == Outcome::Skipped && r.detail.as_deref() == Some(NOT_NEEDED));
        match status {
            Status::Cancelled if record.is_none() || record.is_some_and(|r| r.outcome == Outcome::Failed) => {
                let mut record = Record::new(Outcome::Skipped, now);
                record.detail = Some(NOT_NEEDED.into());
                held.ledger.set(&key, record);
                changed = true;
            }
            Status::Scheduled if ours => {
                held.ledger.actions.remove(key.as_ref());
                changed = true;
            }
            _ => {}
        }
    }
    if changed { held.save() } else { Ok(()) }
}

/// Ledgers whose event file is gone (renamed by hand) while the event never ran its course:
/// posted, but not shared nor skipped past its end. `(id, ledger path)`. Until `tsudoi move`
/// carries one over, no new event post is made: the renamed event's post may be up under the
/// old id. (An event held, then its file deleted, has its share recorded and blocks nothing.)
pub fn orphans(dir: &std::path::Path) -> Vec<(String, std::path::PathBuf)> {
    let store = crate::state::Store::new(dir);
    store
        .ids()
        .into_iter()
        .filter(|id| !dir.join(format!("{id}.toml")).exists())
        .filter(|id| {
            let Ok(ledger) = store.peek(id) else {
                return false;
            };
            let posted = ledger
                .get(Action::Post.key())
                .is_some_and(|r| r.outcome == Outcome::Done);
            let ran = ledger
                .get(Action::Share.key())
                .is_some_and(|r| matches!(r.outcome, Outcome::Done | Outcome::Skipped));
            posted && !ran
        })
        .map(|id| {
            let path = store.path(&id);
            (id, path)
        })
        .collect()
}

/// The ledger key of what was done to the share message after the end.
const AFTER_END: &str = "share-after-end";

/// Whether `viewer_url_after_end` has something left to do to the share message.
pub fn after_end_due(event: &crate::event::Event, held: &Held, now: chrono::DateTime<chrono::Utc>) -> bool {
    use crate::event::AfterEnd;
    event.policy.viewer_url_after_end != AfterEnd::Keep
        && now >= event.ends_at
        && held.get(AFTER_END).is_none()
        && held.get(Action::Share.key()).is_some_and(|r| {
            r.outcome == Outcome::Done && r.channel_id.is_some() && !r.message_ids.is_empty()
        })
}

/// After the end, the share message edited to drop the URL (`redact`) or deleted (`delete`),
/// once. A message already gone counts as done.
pub fn after_end(ctx: &Ctx, held: &mut Held) -> Result<Option<ActionReport>, Error> {
    use crate::event::AfterEnd;
    if !after_end_due(ctx.event, held, ctx.now) {
        return Ok(None);
    }
    let share = held
        .get(Action::Share.key())
        .cloned()
        .expect("due: the share is recorded");
    let channel = parse(share.channel_id.as_deref().unwrap_or_default())?;
    let policy = ctx.event.policy.viewer_url_after_end;
    let text = match ctx.series.language {
        Language::Ja => "（配信は終了しました。視聴用 URL は削除しました）",
        Language::En => "(The event has ended; the viewer URL was removed.)",
    };
    for id in &share.message_ids {
        let id = parse(id)?;
        let result = match policy {
            AfterEnd::Redact => ctx
                .client
                .edit_message(channel, id, text, &Mentions::default())
                .map(drop),
            AfterEnd::Delete => ctx.client.delete_message(channel, id),
            AfterEnd::Keep => Ok(()),
        };
        match result {
            Err(e) if unknown_message(&e) => {}
            other => other?,
        }
    }
    let verb = match (policy, ctx.dry_run) {
        (AfterEnd::Delete, false) => "deleted",
        (AfterEnd::Delete, true) => "would delete",
        (_, false) => "removed the viewer URL from",
        (_, true) => "would remove the viewer URL from",
    };
    let detail = format!("{verb} the share message in channel {channel} after the end");
    let mut record = Record::new(Outcome::Done, ctx.now);
    record.detail = Some(detail.clone());
    held.record(AFTER_END, record)?;
    Ok(Some(ctx.report(Action::Share, Outcome::Done, detail)))
}
