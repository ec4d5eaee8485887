//! Why a role run stops before it grants anything, in words, with the fix.

use super::UnsetId;
use crate::discord::DiscordError;

#[derive(Debug, thiserror::Error)]
pub enum RolesError {
    #[error("no event post yet for `{id}`")]
    NoPost { id: String },

    #[error(
        "the role `{role}` (position {position}) is not below the bot's highest role `{bot_role}` \
         (position {bot_position}): the bot cannot grant it; nothing was granted"
    )]
    RoleAboveBot {
        role: String,
        position: i64,
        bot_role: String,
        bot_position: i64,
    },

    #[error("the role `{role}` is managed by an integration: no one can grant it; nothing was granted")]
    RoleManaged { role: String },

    #[error(
        "every one of the {count} message(s) under the event post reads as empty: the bot lacks the \
         Message Content intent, so no declaration can be read; nothing was granted"
    )]
    MissingIntent { count: usize },

    #[error(
        "the member list is closed to the bot (Server Members intent off), and boosters join without \
         signing up: they cannot be found; nothing was granted"
    )]
    MembersIntent,

    #[error(
        "the roles {keep}, {newer} are all named `{role}`, and the member list is closed to the bot \
         (Server Members intent off): the newer roles' holders cannot be found, so they were not merged \
         into the oldest ({keep})"
    )]
    MergeNeedsMembers {
        role: String,
        keep: String,
        newer: String,
    },

    #[error(transparent)]
    Discord(#[from] DiscordError),

    #[error(transparent)]
    DiscordId(#[from] UnsetId),
}

impl RolesError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::NoPost { id } => Some(format!(
                "run `tsudoi post {id}` or set `post_id` under `[discord]` in the event file"
            )),
            Self::RoleAboveBot { role, .. } => Some(format!(
                "move the bot's role above `{role}` in Server Settings → Roles"
            )),
            Self::RoleManaged { role } => Some(format!(
                "rename or delete the integration's role `{role}`, or change `role_name` in [policy]"
            )),
            Self::MissingIntent { .. } => Some(
                "switch on Developer Portal → Bot → Message Content Intent, or set `signup_mode = \
                 \"reaction\"` in [policy] (members react to the post instead of replying)"
                    .into(),
            ),
            Self::MembersIntent => Some(
                "switch on Developer Portal → Bot → Server Members Intent, or set \
                 `boosters_join_without_signup = false` in [policy]"
                    .into(),
            ),
            Self::MergeNeedsMembers { role, keep, newer } => Some(format!(
                "switch on Developer Portal → Bot → Server Members Intent, or by hand give `{role}` ({keep}) \
                 to the holders of {newer} and delete {newer} in Server Settings → Roles"
            )),
            Self::Discord(error) => error.hint(),
            Self::DiscordId(unset) => Some(unset.hint()),
        }
    }
}
