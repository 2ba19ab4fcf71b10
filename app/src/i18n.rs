//! UI text: Brazilian Portuguese by default, English available.
//!
//! Every string the UI shows comes from a [`Messages`] table. Each locale is one
//! `const` struct literal, so a key missing from a locale is a compile error
//! rather than a blank label at run time. The locale is chosen by the
//! `agenda_locale` cookie (set by the language switch in the top bar); the
//! server renders it into `<html lang>`, and the browser reads it back from there
//! while hydrating, so both sides always render the same text.
//!
//! Two tests keep the tables honest: every key has a translation (the same
//! words in both only for names and symbols), and every key is read
//! somewhere in the code. Validation messages are not here but in
//! [`crate::problem::Problem`], worded per locale from a code.
//!
//! Why not `leptos_i18n`: it generates code from locale files through a
//! proc-macro and pulls ICU data and `leptos-use` into both builds. For a UI
//! with two locales and no plural rules yet, a typed table gives the same
//! compile-time completeness without the build cost on 2-core machines.

use leptos::prelude::*;

use crate::conversations::Channel;

/// The name of the cookie that remembers the user's language.
pub const LOCALE_COOKIE: &str = "agenda_locale";

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Locale {
    /// Português (Brasil): the default.
    #[default]
    PtBr,
    /// English.
    En,
}

impl Locale {
    /// All locales, in the order the language switch lists them.
    pub const ALL: [Locale; 2] = [Locale::PtBr, Locale::En];

    /// The BCP 47 code (`<html lang>`, cookie value).
    pub fn code(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
        }
    }

    /// Parses a BCP 47 code; anything unknown falls back to the default.
    pub fn from_code(code: &str) -> Locale {
        let code = code.trim().to_ascii_lowercase();
        if code == "en" || code.starts_with("en-") {
            Locale::En
        } else {
            Locale::PtBr
        }
    }

    /// Finds the locale in a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Locale> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LOCALE_COOKIE).then(|| Locale::from_code(value))
        })
    }

    /// The supported locale an `Accept-Language` header prefers most:
    /// highest quality first, then the header's order; `None` when it
    /// names none of them.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        header
            .split(',')
            .enumerate()
            .filter_map(|(index, item)| {
                let mut parts = item.split(';');
                let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let quality = parts
                    .filter_map(|part| part.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                let language = tag.split('-').next().unwrap_or("");
                let locale = match language {
                    "en" => Locale::En,
                    "pt" => Locale::PtBr,
                    _ => return None,
                };
                (quality > 0.0).then_some((quality, index, locale))
            })
            .min_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)))
            .map(|(_, _, locale)| locale)
    }

    /// The strings of this locale.
    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::PtBr => &PT_BR,
            Locale::En => &EN,
        }
    }
}

/// Every string of the UI, for one locale.
#[derive(Debug, serde::Serialize)]
pub struct Messages {
    /// The locale these strings are in (to word [`crate::problem::Problem`]s).
    pub locale: Locale,
    pub app_name: &'static str,
    pub app_description: &'static str,
    pub language_label: &'static str,
    pub language_name: &'static str,
    pub nav_contacts_section: &'static str,
    pub nav_contacts: &'static str,
    pub nav_service_section: &'static str,
    pub nav_conversations: &'static str,
    pub contacts_title: &'static str,
    pub search_placeholder: &'static str,
    pub search_label: &'static str,
    pub col_name: &'static str,
    pub col_start_via: &'static str,
    pub col_contact_id: &'static str,
    pub col_phone: &'static str,
    pub no_channels: &'static str,
    pub load_more: &'static str,
    pub loading: &'static str,
    pub no_contacts: &'static str,
    pub no_results: &'static str,
    pub conversations_title: &'static str,
    pub conversations_empty: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_contacts: &'static str,
    pub error_not_found: &'static str,
    pub error_invalid: &'static str,
    pub error_conflict: &'static str,
    pub error_stale_by: &'static str,
    pub error_stale: &'static str,
    pub reload: &'static str,
    pub error_internal: &'static str,
    pub error_network: &'static str,
    pub channel_whatsapp: &'static str,
    pub channel_sms: &'static str,
    pub channel_call: &'static str,
    pub channel_email: &'static str,
    pub channel_telegram: &'static str,
    pub channel_instagram: &'static str,
    pub channel_facebook: &'static str,
    pub channel_widget: &'static str,
    pub error_unauthorized: &'static str,
    pub error_forbidden: &'static str,
    /// `{wait}` is [`Messages::wait`]'s text.
    pub error_login_limited: &'static str,
    pub error_sign_up_limited: &'static str,
    pub error_busy: &'static str,
    /// `{size}` is the limit, e.g. "1 MB".
    pub error_too_large: &'static str,
    pub error_uri_too_long: &'static str,
    pub error_headers_too_large: &'static str,
    pub login_title: &'static str,
    pub email_label: &'static str,
    pub password_label: &'static str,
    pub login_submit: &'static str,
    pub login_no_account: &'static str,
    pub signup_link: &'static str,
    pub signup_title: &'static str,
    pub signup_company: &'static str,
    pub signup_name: &'static str,
    pub signup_password_hint: &'static str,
    pub signup_submit: &'static str,
    pub have_account: &'static str,
    pub login_link: &'static str,
    pub demo_title: &'static str,
    pub demo_hint: &'static str,
    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub invite_submit: &'static str,
    pub logout: &'static str,
    pub nav_settings_section: &'static str,
    pub nav_agents: &'static str,
    pub agents_title: &'static str,
    pub agents_invite: &'static str,
    pub agents_invite_role: &'static str,
    pub role_admin: &'static str,
    pub role_agent: &'static str,
    pub agents_link_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub col_email: &'static str,
    pub col_role: &'static str,
    pub col_status: &'static str,
    pub agents_active: &'static str,
    pub agents_inactive: &'static str,
    pub agents_deactivate: &'static str,
    pub agents_reactivate: &'static str,
    pub admin_only: &'static str,
    pub grants_title: &'static str,
    pub agents_pending_title: &'static str,
    pub agents_pending_none: &'static str,
    pub col_invited_by: &'static str,
    pub col_valid_until: &'static str,
    pub agents_revoke: &'static str,
    pub grants_intro: &'static str,
    pub grant_export: &'static str,
    pub grant_import: &'static str,
    pub grants_saved: &'static str,
    pub nav_company: &'static str,
    pub company_title: &'static str,
    pub time_zone_title: &'static str,
    pub time_zone_label: &'static str,
    pub time_zone_hint: &'static str,
    pub time_zone_saved: &'static str,
    pub import_not_granted: &'static str,
    pub files_not_granted: &'static str,
    pub add_contact: &'static str,
    pub close: &'static str,
    pub view_contact: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub cancel: &'static str,
    pub save: &'static str,
    pub add: &'static str,
    pub saving: &'static str,
    pub show_more: &'static str,
    pub show_less: &'static str,
    pub field_name: &'static str,
    pub field_phone: &'static str,
    pub field_email: &'static str,
    pub field_address: &'static str,
    pub field_more_phones: &'static str,
    pub field_more_emails: &'static str,
    pub add_phone: &'static str,
    pub add_email: &'static str,
    pub remove: &'static str,
    pub field_birth_date: &'static str,
    pub field_document: &'static str,
    pub field_gender: &'static str,
    pub gender_none: &'static str,
    pub gender_female: &'static str,
    pub gender_male: &'static str,
    pub gender_other: &'static str,
    pub field_organization: &'static str,
    pub no_organization: &'static str,
    pub field_groups: &'static str,
    pub field_group: &'static str,
    pub photo_change: &'static str,
    pub photo_remove: &'static str,
    pub nav_directory: &'static str,
    pub directory_title: &'static str,
    pub directory_organizations: &'static str,
    pub directory_groups: &'static str,
    pub directory_new_organization: &'static str,
    pub directory_new_group: &'static str,
    pub directory_no_organizations: &'static str,
    pub directory_no_groups: &'static str,
    pub directory_create: &'static str,
    pub directory_rename: &'static str,
    pub directory_one_contact: &'static str,
    pub directory_contacts: &'static str,
    pub directory_delete_organization_body: &'static str,
    pub directory_delete_group_body: &'static str,
    pub filter_all_organizations: &'static str,
    pub filter_all_groups: &'static str,
    pub no_groups: &'static str,
    pub field_facebook: &'static str,
    pub field_instagram: &'static str,
    pub field_telegram: &'static str,
    pub field_website: &'static str,
    pub field_notes: &'static str,
    pub edit_contact_title: &'static str,
    pub duplicate_warning: &'static str,
    pub tab_timeline: &'static str,
    pub tab_conversations: &'static str,
    pub timeline_created: &'static str,
    pub conversations_none: &'static str,
    pub conversations_shown: &'static str,
    pub delete_confirm_title: &'static str,
    pub delete_confirm_body: &'static str,
    pub delete_confirm: &'static str,
    pub details_title: &'static str,
    pub form_has_errors: &'static str,
    pub nav_custom_fields: &'static str,
    pub cf_title: &'static str,
    pub cf_intro: &'static str,
    pub cf_new: &'static str,
    pub cf_label: &'static str,
    pub cf_key: &'static str,
    pub cf_key_help: &'static str,
    pub cf_type: &'static str,
    pub cf_required: &'static str,
    pub cf_help: &'static str,
    pub cf_options_input: &'static str,
    pub cf_create: &'static str,
    pub cf_none: &'static str,
    pub cf_move_up: &'static str,
    pub cf_move_down: &'static str,
    pub cf_edit: &'static str,
    pub cf_used_by: &'static str,
    pub cf_delete_body: &'static str,
    pub cf_options: &'static str,
    pub cf_add_option: &'static str,
    pub cf_new_option: &'static str,
    pub cf_retire: &'static str,
    pub cf_restore: &'static str,
    pub cf_retired: &'static str,
    pub cf_yes: &'static str,
    pub cf_no: &'static str,
    pub cf_unset: &'static str,
    pub filter_field: &'static str,
    pub filter_no_field: &'static str,
    pub filter_value: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_birthday_month: &'static str,
    pub filter_any_month: &'static str,
    pub filter_apply: &'static str,
    pub filter_clear: &'static str,
    pub field_type_names: [&'static str; 15],
    pub month_names: [&'static str; 12],
    pub more_options: &'static str,
    pub export_csv_excel: &'static str,
    pub export_csv_plain: &'static str,
    pub import_csv: &'static str,
    pub import_title: &'static str,
    pub import_intro: &'static str,
    pub import_file: &'static str,
    pub import_send: &'static str,
    pub import_uploading: &'static str,
    pub import_checking: &'static str,
    pub import_history: &'static str,
    pub import_none: &'static str,
    pub import_mapping_title: &'static str,
    pub import_mapping_intro: &'static str,
    pub import_column: &'static str,
    pub import_goes_to: &'static str,
    pub import_sample: &'static str,
    pub import_ignore: &'static str,
    pub import_policy_title: &'static str,
    pub import_policy_hint: &'static str,
    pub policy_skip: &'static str,
    pub policy_update: &'static str,
    pub policy_create: &'static str,
    pub import_start: &'static str,
    pub import_cancel: &'static str,
    pub import_rows_of: &'static str,
    pub import_rate: &'static str,
    pub import_eta: &'static str,
    pub import_interrupted: &'static str,
    pub import_errors_so_far: &'static str,
    pub import_created: &'static str,
    pub import_updated: &'static str,
    pub import_skipped: &'static str,
    pub import_failed: &'static str,
    pub import_error_report: &'static str,
    pub import_another: &'static str,
    pub import_view_contacts: &'static str,
    pub import_encoding: &'static str,
    pub import_delimiter: &'static str,
    pub import_rows: &'static str,
    pub import_by: &'static str,
    pub timeline_imported: &'static str,
    pub import_status_names: [&'static str; 6],
    /// The history's badge for a running import whose server stopped.
    pub import_status_interrupted: &'static str,
    pub target_names: [&'static str; 18],
    pub timeline_by: &'static str,
    pub timeline_created_inbound: &'static str,
    pub timeline_edited: &'static str,
    pub timeline_started: &'static str,
    pub timeline_started_customer: &'static str,
    pub timeline_closed: &'static str,
    pub timeline_reopened: &'static str,
    pub timeline_comment: &'static str,
    pub timeline_comment_deleted: &'static str,
    pub timeline_edited_mark: &'static str,
    pub timeline_linked: &'static str,
    pub timeline_unlinked: &'static str,
    pub timeline_merged: &'static str,
    pub timeline_empty_value: &'static str,
    pub timeline_show: &'static str,
    pub timeline_hide: &'static str,
    pub comment_placeholder: &'static str,
    pub comment_add: &'static str,
    pub open_conversation: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub conversation_close: &'static str,
    pub conversation_reopen: &'static str,
    pub message_placeholder: &'static str,
    pub message_send: &'static str,
    pub messages_none: &'static str,
    pub messages_earlier: &'static str,
    pub message_failed: &'static str,
    pub chat_closed_hint: &'static str,
    pub chat_details: &'static str,
    pub chat_history: &'static str,
    pub chat_contact: &'static str,
    pub customer: &'static str,
    pub conversation_started_at: &'static str,
    pub conversation_assigned: &'static str,
    pub conversation_unassigned: &'static str,
    pub filter_channel: &'static str,
    pub filter_status: &'static str,
    pub filter_agent: &'static str,
    pub filter_all: &'static str,
    pub conversations_search: &'static str,
    pub conversations_no_match: &'static str,
    pub nav_channels: &'static str,
    pub inbound_title: &'static str,
    pub inbound_intro: &'static str,
    pub inbound_endpoint: &'static str,
    pub inbound_none: &'static str,
    pub inbound_since: &'static str,
    pub inbound_rotate: &'static str,
    pub inbound_token_once: &'static str,
    pub main_contact: &'static str,
    pub main_contact_none: &'static str,
    pub main_contact_edit: &'static str,
    pub main_contact_select: &'static str,
    pub main_contact_search: &'static str,
    pub main_contact_unlink: &'static str,
    pub main_contact_pick: &'static str,
    pub linked_contacts: &'static str,
    pub linked_to: &'static str,
    pub merge: &'static str,
    pub merge_title: &'static str,
    pub merge_keeps: &'static str,
    pub merge_deletes: &'static str,
    pub merge_combined: &'static str,
    pub merge_choose: &'static str,
    pub merge_no_conflicts: &'static str,
    pub merge_field: &'static str,
}

impl Messages {
    /// The display name of a channel.
    pub fn channel(&self, channel: Channel) -> &'static str {
        match channel {
            Channel::WhatsApp => self.channel_whatsapp,
            Channel::Sms => self.channel_sms,
            Channel::Call => self.channel_call,
            Channel::Email => self.channel_email,
            Channel::Telegram => self.channel_telegram,
            Channel::Instagram => self.channel_instagram,
            Channel::Facebook => self.channel_facebook,
            Channel::Widget => self.channel_widget,
        }
    }

    /// A conversation status's name.
    pub fn status(&self, status: crate::conversations::model::ConversationStatus) -> &'static str {
        match status {
            crate::conversations::model::ConversationStatus::Open => self.status_open,
            crate::conversations::model::ConversationStatus::Closed => self.status_closed,
        }
    }

    /// The label of a standard contact field by its timeline key (`name`,
    /// `phones`, …); `None` for custom fields, whose label is stored.
    pub fn field_label(&self, key: &str) -> Option<&'static str> {
        Some(match key {
            "name" => self.field_name,
            "phones" => self.field_phone,
            "emails" => self.field_email,
            "address" => self.field_address,
            "birth_date" => self.field_birth_date,
            "document" => self.field_document,
            "gender" => self.field_gender,
            "organization" => self.field_organization,
            "groups" => self.field_groups,
            "facebook" => self.field_facebook,
            "instagram" => self.field_instagram,
            "telegram" => self.field_telegram,
            "website" => self.field_website,
            "notes" => self.field_notes,
            _ => return None,
        })
    }

    /// A message for an API error, in words for the user.
    pub fn error(&self, error: &crate::error::AppError) -> String {
        use crate::error::{AppError, Limit, RequestPart};
        match error {
            AppError::NotFound => self.error_not_found.to_string(),
            AppError::Validation(fields) => {
                let details: Vec<String> = fields.iter().map(|f| f.text(self.locale)).collect();
                format!("{} {}", self.error_invalid, details.join(" "))
            }
            AppError::Conflict(_) => self.error_conflict.to_string(),
            AppError::Stale { by, at } => {
                let time = crate::ui::clock_time(at);
                match by {
                    Some(by) => self
                        .error_stale_by
                        .replace("{by}", by)
                        .replace("{time}", &time),
                    None => self.error_stale.replace("{time}", &time),
                }
            }
            AppError::Internal => self.error_internal.to_string(),
            AppError::Unauthorized => self.error_unauthorized.to_string(),
            AppError::Forbidden => self.error_forbidden.to_string(),
            AppError::TooManyRequests {
                limit,
                retry_after_secs,
            } => {
                let template = match limit {
                    Limit::Login | Limit::LoginPace => self.error_login_limited,
                    Limit::SignUp => self.error_sign_up_limited,
                };
                template.replace("{wait}", &wait(*retry_after_secs))
            }
            AppError::Busy { retry_after_secs } => {
                self.error_busy.replace("{wait}", &wait(*retry_after_secs))
            }
            AppError::TooLarge { part, limit_bytes } => match part {
                RequestPart::Body => self.error_too_large.replace("{size}", &size(*limit_bytes)),
                RequestPart::Uri => self.error_uri_too_long.to_string(),
                RequestPart::Headers => self.error_headers_too_large.to_string(),
            },
            AppError::ServerFn(_) => self.error_network.to_string(),
        }
    }
}

/// A wait for a message: whole minutes from a minute on, rounding up
/// (never "0 min"), seconds below. The same in both locales.
fn wait(seconds: u64) -> String {
    if seconds >= 60 {
        format!("{} min", seconds.div_ceil(60))
    } else {
        format!("{} s", seconds.max(1))
    }
}

/// A byte limit for a message ("1 MB", "512 KB"), in decimal units as
/// file managers show them.
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else {
        format!("{} KB", (bytes / 1_000).max(1))
    }
}

/// Português (Brasil). Labels follow the product's help article.
pub const PT_BR: Messages = Messages {
    locale: Locale::PtBr,
    app_name: "Agenda",
    app_description: "A agenda de negócios da sua empresa: contatos, conversas e histórico.",
    language_label: "Idioma",
    language_name: "Português",
    nav_contacts_section: "Contatos",
    nav_contacts: "Contatos",
    nav_service_section: "Atendimentos",
    nav_conversations: "Conversas",
    contacts_title: "Contatos",
    search_placeholder: "Buscar contato",
    search_label: "Buscar contato por nome, telefone, e-mail ou ID",
    col_name: "Nome",
    col_start_via: "Iniciar conversa via",
    col_contact_id: "ID do contato",
    col_phone: "Contato",
    no_channels: "Nenhum canal disponível",
    load_more: "Carregar mais",
    loading: "Carregando…",
    no_contacts: "Nenhum contato cadastrado ainda.",
    no_results: "Nenhum contato encontrado para esta busca.",
    conversations_title: "Conversas",
    conversations_empty:
        "Nenhuma conversa ainda. As conversas iniciadas com seus contatos aparecerão aqui.",
    not_found_title: "Página não encontrada",
    not_found_body: "O endereço que você abriu não existe.",
    back_to_contacts: "Voltar para Contatos",
    error_not_found: "Não encontrado.",
    error_invalid: "Dados inválidos.",
    error_conflict: "Já existe um registro com estes dados.",
    error_stale_by: "Este contato foi alterado por {by} às {time} — recarregue para ver a versão atual e refaça a sua alteração.",
    error_stale: "Este contato foi alterado às {time} — recarregue para ver a versão atual e refaça a sua alteração.",
    reload: "Recarregar",
    error_internal: "Algo deu errado no servidor. Tente novamente.",
    error_network: "Não foi possível falar com o servidor. Verifique sua conexão.",
    channel_whatsapp: "WhatsApp",
    channel_sms: "SMS",
    channel_call: "Ligação",
    channel_email: "E-mail",
    channel_telegram: "Telegram",
    channel_instagram: "Instagram",
    channel_facebook: "Facebook",
    channel_widget: "Widget",
    error_unauthorized: "Sua sessão terminou. Entre novamente.",
    error_forbidden: "Acesso restrito a administradores.",
    error_login_limited: "Muitas tentativas de login com este e-mail. Tente novamente em {wait}.",
    error_sign_up_limited: "Muitas contas criadas a partir desta conexão. Tente novamente em {wait}.",
    error_busy: "O servidor está ocupado no momento. Tente novamente em {wait}.",
    error_too_large: "O envio é grande demais: o limite é {size}.",
    error_uri_too_long: "O endereço da requisição é longo demais.",
    error_headers_too_large: "Os cabeçalhos da requisição são grandes demais.",
    login_title: "Entrar na Agenda",
    email_label: "E-mail",
    password_label: "Senha",
    login_submit: "Entrar",
    login_no_account: "Ainda não tem conta?",
    signup_link: "Criar conta da empresa",
    signup_title: "Criar conta da empresa",
    signup_company: "Nome da empresa",
    signup_name: "Seu nome",
    signup_password_hint: "Pelo menos 8 caracteres.",
    signup_submit: "Criar conta",
    have_account: "Já tem conta?",
    login_link: "Entrar",
    demo_title: "Conta de demonstração",
    demo_hint: "Entre com estes dados para conhecer a Agenda com contatos de exemplo.",
    invite_title: "Convite para a equipe",
    invite_intro: "Você foi convidado para a equipe de",
    invite_submit: "Aceitar convite",
    logout: "Sair",
    nav_settings_section: "Configurações",
    nav_agents: "Agentes",
    agents_title: "Agentes",
    agents_invite: "Convidar agente",
    agents_invite_role: "Papel",
    role_admin: "Administrador",
    role_agent: "Agente",
    agents_link_hint: "Copie o link e envie ao novo membro da equipe. Ele vale por 7 dias e funciona uma única vez.",
    copy: "Copiar link",
    copied: "Link copiado",
    col_email: "E-mail",
    col_role: "Papel",
    col_status: "Situação",
    agents_active: "Ativo",
    agents_inactive: "Desativado",
    agents_deactivate: "Desativar",
    agents_reactivate: "Reativar",
    admin_only: "Acesso restrito a administradores.",
    grants_title: "Permissões dos agentes",
    agents_pending_title: "Convites pendentes",
    agents_pending_none: "Nenhum convite pendente.",
    col_invited_by: "Convidado por",
    col_valid_until: "Válido até",
    agents_revoke: "Revogar",
    grants_intro: "Exportar e importar a base inteira são ações de administradores (dados pessoais sob a LGPD). Você pode permitir aos agentes:",
    grant_export: "Agentes podem exportar contatos (CSV)",
    grant_import: "Agentes podem importar contatos (CSV), criando as organizações e os grupos que o arquivo nomear",
    grants_saved: "Permissões salvas.",
    nav_company: "Empresa",
    company_title: "Empresa",
    time_zone_title: "Datas e horas",
    time_zone_label: "Fuso horário da empresa",
    time_zone_hint: "Cada pessoa vê datas e horas no fuso do próprio navegador. O fuso da empresa vale para as exportações CSV (o cabeçalho o informa) e para páginas abertas antes de o navegador informar o seu.",
    time_zone_saved: "Fuso horário salvo: {zone}.",
    import_not_granted: "Somente administradores podem importar contatos. Um administrador pode permitir aos agentes em Configurações > Agentes.",
    files_not_granted: "Importar e exportar contatos são ações de administradores. Um administrador pode permitir aos agentes em Configurações > Agentes.",
    add_contact: "Adicionar contato",
    close: "Fechar",
    view_contact: "Ver contato",
    edit: "Editar",
    delete: "Excluir",
    cancel: "Cancelar",
    save: "Salvar",
    add: "Adicionar",
    saving: "Salvando…",
    show_more: "Mostrar mais",
    show_less: "Mostrar menos",
    field_name: "Nome",
    field_phone: "Telefone",
    field_email: "E-mail",
    field_address: "Endereço",
    field_more_phones: "Outros telefones",
    field_more_emails: "Outros e-mails",
    add_phone: "+ Telefone",
    add_email: "+ E-mail",
    remove: "Remover",
    field_birth_date: "Data de nascimento",
    field_document: "CPF/CNPJ",
    field_gender: "Gênero",
    gender_none: "Não informado",
    gender_female: "Feminino",
    gender_male: "Masculino",
    gender_other: "Outro",
    field_organization: "Organização",
    no_organization: "Nenhuma",
    field_groups: "Grupos",
    field_group: "Grupo",
    photo_change: "Alterar foto",
    photo_remove: "Remover foto",
    nav_directory: "Organizações e grupos",
    directory_title: "Organizações e grupos",
    directory_organizations: "Organizações",
    directory_groups: "Grupos",
    directory_new_organization: "Nova organização",
    directory_new_group: "Novo grupo",
    directory_no_organizations: "Nenhuma organização cadastrada.",
    directory_no_groups: "Nenhum grupo cadastrado.",
    directory_create: "Criar",
    directory_rename: "Renomear",
    directory_one_contact: "1 contato",
    directory_contacts: "{n} contatos",
    directory_delete_organization_body: "Excluir a organização \"{name}\"? Os {n} contatos dela continuam na agenda, sem organização.",
    directory_delete_group_body: "Excluir o grupo \"{name}\"? Os {n} contatos dele continuam na agenda, fora do grupo.",
    filter_all_organizations: "Todas as organizações",
    filter_all_groups: "Todos os grupos",
    no_groups: "Nenhum grupo criado ainda.",
    field_facebook: "Facebook",
    field_instagram: "Instagram",
    field_telegram: "Telegram",
    field_website: "Site",
    field_notes: "Observações",
    edit_contact_title: "Editar contato",
    duplicate_warning: "Já existe um contato com estes dados (você ainda pode salvar):",
    tab_timeline: "Linha do tempo",
    tab_conversations: "Conversas",
    timeline_created: "Contato criado",
    conversations_none: "Nenhuma conversa com este contato ainda.",
    conversations_shown: "{shown} de {total} conversas",
    delete_confirm_title: "Excluir contato?",
    delete_confirm_body: "O contato e todos os seus dados serão removidos. Esta ação não pode ser desfeita.",
    delete_confirm: "Excluir contato",
    details_title: "Informações",
    form_has_errors: "Corrija os campos destacados.",
    nav_custom_fields: "Campos personalizados",
    cf_title: "Campos personalizados",
    cf_intro: "Campos que a empresa acrescenta aos contatos. Os obrigatórios aparecem no início do formulário; os demais, em \"Mostrar mais\".",
    cf_new: "Novo campo",
    cf_label: "Nome do campo",
    cf_key: "Chave",
    cf_key_help: "Usada na API e como coluna do CSV; deixe em branco para gerar a partir do nome. Não muda depois.",
    cf_type: "Tipo",
    cf_required: "Obrigatório",
    cf_help: "Texto de ajuda",
    cf_options_input: "Opções (uma por linha)",
    cf_create: "Criar campo",
    cf_none: "Nenhum campo personalizado ainda.",
    cf_move_up: "Mover para cima",
    cf_move_down: "Mover para baixo",
    cf_edit: "Editar",
    cf_used_by: "{n} contato(s) com valor",
    cf_delete_body: "Excluir o campo \"{name}\"? {n} contato(s) perderão o valor dele. Esta ação não pode ser desfeita.",
    cf_options: "Opções",
    cf_add_option: "Adicionar opção",
    cf_new_option: "Nova opção",
    cf_retire: "Desativar",
    cf_restore: "Reativar",
    cf_retired: "desativada",
    cf_yes: "Sim",
    cf_no: "Não",
    cf_unset: "—",
    filter_field: "Campo personalizado",
    filter_no_field: "Nenhum",
    filter_value: "Valor",
    filter_from: "De",
    filter_to: "Até",
    filter_birthday_month: "Aniversário no mês",
    filter_any_month: "Qualquer mês",
    filter_apply: "Filtrar",
    filter_clear: "Limpar filtro",
    field_type_names: ["Texto", "Texto longo", "Número inteiro", "Número decimal", "Moeda (R$)", "Data", "Data e hora", "Sim/Não", "Seleção única", "Seleção múltipla", "E-mail", "Telefone", "URL", "CPF", "CNPJ"],
    month_names: ["Janeiro", "Fevereiro", "Março", "Abril", "Maio", "Junho", "Julho", "Agosto", "Setembro", "Outubro", "Novembro", "Dezembro"],
    more_options: "Mais opções",
    export_csv_excel: "Exportar CSV (Excel)",
    export_csv_plain: "Exportar CSV (padrão RFC 4180)",
    import_csv: "Importar CSV",
    import_title: "Importar contatos",
    import_intro: "Envie um arquivo CSV exportado do Excel, do Google Contatos, do Outlook ou de outro sistema. Separadores vírgula, ponto e vírgula ou tabulação; UTF-8 ou Windows-1252. Antes de importar, você confere para onde vai cada coluna.",
    import_file: "Arquivo CSV",
    import_send: "Enviar arquivo",
    import_uploading: "Enviando…",
    import_checking: "Verificando o arquivo…",
    import_history: "Importações recentes",
    import_none: "Nenhuma importação ainda.",
    import_mapping_title: "Associe as colunas",
    import_mapping_intro: "Confira para onde vai cada coluna do arquivo. Colunas com “Não importar” ficam de fora.",
    import_column: "Coluna do arquivo",
    import_goes_to: "Importar como",
    import_sample: "Exemplo",
    import_ignore: "Não importar",
    import_policy_title: "Contatos que já existem",
    import_policy_hint: "Um contato já existe quando tem o mesmo ID, telefone ou e-mail.",
    policy_skip: "Ignorar a linha (manter o contato como está)",
    policy_update: "Atualizar o contato com os dados do arquivo",
    policy_create: "Criar outro contato mesmo assim",
    import_start: "Importar",
    import_cancel: "Cancelar importação",
    import_rows_of: "linhas de",
    import_rate: "linhas/s",
    import_eta: "Tempo restante",
    import_interrupted: "Interrompida (o servidor reiniciou). Ela continua sozinha em instantes, de onde parou; nenhuma linha é importada duas vezes.",
    import_errors_so_far: "Erros até agora",
    import_created: "Criados",
    import_updated: "Atualizados",
    import_skipped: "Ignorados (já existiam ou vazios)",
    import_failed: "Com erro",
    import_error_report: "Baixar relatório de erros (CSV)",
    import_another: "Importar outro arquivo",
    import_view_contacts: "Ver contatos",
    import_encoding: "Codificação",
    import_delimiter: "Separador",
    import_rows: "Linhas",
    import_by: "por",
    timeline_imported: "Contato criado pela importação de",
    import_status_names: ["Aguardando associação das colunas", "Na fila", "Importando", "Concluída", "Falhou", "Cancelada"],
    import_status_interrupted: "Interrompida, continua em instantes",
    target_names: ["Nome", "Primeiro nome", "Nome do meio", "Sobrenome", "Telefone", "E-mail", "Endereço", "Data de nascimento", "CPF/CNPJ", "Gênero", "Organização", "Grupos", "Facebook", "Instagram", "Telegram", "Site", "Observações", "ID do contato"],
    timeline_by: "por",
    timeline_created_inbound: "Contato criado pela primeira mensagem via",
    timeline_edited: "Contato editado",
    timeline_started: "Conversa iniciada via",
    timeline_started_customer: "O cliente iniciou uma conversa via",
    timeline_closed: "Conversa encerrada",
    timeline_reopened: "Conversa reaberta",
    timeline_comment: "Comentário",
    timeline_comment_deleted: "Comentário excluído",
    timeline_edited_mark: "(editado)",
    timeline_linked: "Vinculado ao contato principal",
    timeline_unlinked: "Desvinculado do contato principal",
    timeline_merged: "Contato mesclado com",
    timeline_empty_value: "(vazio)",
    timeline_show: "Ver linha do tempo",
    timeline_hide: "Ver dados do contato",
    comment_placeholder: "Escreva um comentário…",
    comment_add: "Comentar",
    open_conversation: "Abrir conversa",
    status_open: "Aberta",
    status_closed: "Encerrada",
    conversation_close: "Encerrar conversa",
    conversation_reopen: "Reabrir conversa",
    message_placeholder: "Digite uma mensagem…",
    message_send: "Enviar",
    messages_none: "Nenhuma mensagem ainda.",
    messages_earlier: "mensagens anteriores não exibidas",
    message_failed: "Falha no envio",
    chat_closed_hint: "Conversa encerrada. Reabra-a para responder.",
    chat_details: "Detalhes do atendimento",
    chat_history: "Histórico de conversas",
    chat_contact: "Contato",
    customer: "Cliente",
    conversation_started_at: "Iniciada em",
    conversation_assigned: "Responsável",
    conversation_unassigned: "Sem responsável",
    filter_channel: "Canal",
    filter_status: "Status",
    filter_agent: "Responsável",
    filter_all: "Todos",
    conversations_search: "Buscar por contato (nome, telefone, e-mail ou ID)",
    conversations_no_match: "Nenhuma conversa encontrada com esses filtros.",
    nav_channels: "Canais",
    inbound_title: "Canais: mensagens recebidas",
    inbound_intro: "Os provedores dos canais (WhatsApp, e-mail, Facebook, widget…) entregam as mensagens dos clientes neste endereço, com o token da empresa no cabeçalho Authorization: Bearer.",
    inbound_endpoint: "Endereço",
    inbound_none: "Nenhum token gerado ainda.",
    inbound_since: "Token atual gerado em",
    inbound_rotate: "Gerar novo token",
    inbound_token_once: "Copie o token agora: ele não será mostrado de novo. O token anterior deixou de valer.",
    main_contact: "Contato principal",
    main_contact_none: "Nenhum",
    main_contact_edit: "Alterar contato principal",
    main_contact_select: "Selecionar",
    main_contact_search: "Buscar por nome ou número",
    main_contact_unlink: "Desvincular",
    main_contact_pick: "Escolha um contato da lista.",
    linked_contacts: "Contatos vinculados",
    linked_to: "Vinculado a",
    merge: "Mesclar",
    merge_title: "Mesclar contatos",
    merge_keeps: "Será mantido:",
    merge_deletes: "Será excluído:",
    merge_combined: "Telefones, e-mails e grupos são somados; conversas, comentários, linha do tempo e contatos vinculados passam para o contato mantido.",
    merge_choose: "Escolha o valor de cada campo em conflito:",
    merge_no_conflicts: "Nenhum campo em conflito: nada se perde.",
    merge_field: "Campo",
};

/// English.
pub const EN: Messages = Messages {
    locale: Locale::En,
    app_name: "Agenda",
    app_description: "Your company's business address book: contacts, conversations and history.",
    language_label: "Language",
    language_name: "English",
    nav_contacts_section: "Contacts",
    nav_contacts: "Contacts",
    nav_service_section: "Service",
    nav_conversations: "Conversations",
    contacts_title: "Contacts",
    search_placeholder: "Search contact",
    search_label: "Search contacts by name, phone, e-mail or ID",
    col_name: "Name",
    col_start_via: "Start conversation via",
    col_contact_id: "Contact ID",
    col_phone: "Phone",
    no_channels: "No channel available",
    load_more: "Load more",
    loading: "Loading…",
    no_contacts: "No contacts yet.",
    no_results: "No contact matches this search.",
    conversations_title: "Conversations",
    conversations_empty:
        "No conversations yet. Conversations started with your contacts will show up here.",
    not_found_title: "Page not found",
    not_found_body: "The address you opened does not exist.",
    back_to_contacts: "Back to Contacts",
    error_not_found: "Not found.",
    error_invalid: "Invalid data.",
    error_conflict: "A record with this data already exists.",
    error_stale_by: "This contact was changed by {by} at {time} — reload to see the current version and make your change again.",
    error_stale: "This contact was changed at {time} — reload to see the current version and make your change again.",
    reload: "Reload",
    error_internal: "Something went wrong on the server. Please try again.",
    error_network: "Could not reach the server. Check your connection.",
    channel_whatsapp: "WhatsApp",
    channel_sms: "SMS",
    channel_call: "Call",
    channel_email: "E-mail",
    channel_telegram: "Telegram",
    channel_instagram: "Instagram",
    channel_facebook: "Facebook",
    channel_widget: "Web widget",
    error_unauthorized: "Your session has ended. Please sign in again.",
    error_forbidden: "Only administrators can do this.",
    error_login_limited: "Too many sign-in attempts with this e-mail. Try again in {wait}.",
    error_sign_up_limited: "Too many accounts created from this connection. Try again in {wait}.",
    error_busy: "The server is busy right now. Try again in {wait}.",
    error_too_large: "What you sent is too large: the limit is {size}.",
    error_uri_too_long: "The request's address is too long.",
    error_headers_too_large: "The request's headers are too large.",
    login_title: "Sign in to Agenda",
    email_label: "E-mail",
    password_label: "Password",
    login_submit: "Sign in",
    login_no_account: "No account yet?",
    signup_link: "Create a company account",
    signup_title: "Create a company account",
    signup_company: "Company name",
    signup_name: "Your name",
    signup_password_hint: "At least 8 characters.",
    signup_submit: "Create account",
    have_account: "Already have an account?",
    login_link: "Sign in",
    demo_title: "Demo account",
    demo_hint: "Sign in with these details to try Agenda with sample contacts.",
    invite_title: "Team invitation",
    invite_intro: "You have been invited to the team of",
    invite_submit: "Accept invitation",
    logout: "Sign out",
    nav_settings_section: "Settings",
    nav_agents: "Agents",
    agents_title: "Agents",
    agents_invite: "Invite agent",
    agents_invite_role: "Role",
    role_admin: "Administrator",
    role_agent: "Agent",
    agents_link_hint:
        "Copy the link and send it to the new team member. It works once, for 7 days.",
    copy: "Copy link",
    copied: "Link copied",
    col_email: "E-mail",
    col_role: "Role",
    col_status: "Status",
    agents_active: "Active",
    agents_inactive: "Deactivated",
    agents_deactivate: "Deactivate",
    agents_reactivate: "Reactivate",
    admin_only: "Only administrators can open this page.",
    grants_title: "What agents may do",
    agents_pending_title: "Pending invitations",
    agents_pending_none: "No pending invitations.",
    col_invited_by: "Invited by",
    col_valid_until: "Valid until",
    agents_revoke: "Revoke",
    grants_intro: "Exporting and importing the whole base are administrator actions (personal data under the LGPD). You may allow agents to:",
    grant_export: "Agents may export contacts (CSV)",
    grant_import: "Agents may import contacts (CSV), creating the organizations and groups the file names",
    grants_saved: "Permissions saved.",
    nav_company: "Company",
    company_title: "Company",
    time_zone_title: "Dates and times",
    time_zone_label: "Company time zone",
    time_zone_hint: "Everyone sees dates and times in their own browser's zone. The company's zone is used for CSV exports (their header names it) and for pages opened before the browser reports its own.",
    time_zone_saved: "Time zone saved: {zone}.",
    import_not_granted: "Only administrators can import contacts. An administrator can allow agents under Settings > Agents.",
    files_not_granted: "Importing and exporting contacts are administrator actions. An administrator can allow agents under Settings > Agents.",
    add_contact: "Add contact",
    close: "Close",
    view_contact: "View contact",
    edit: "Edit",
    delete: "Delete",
    cancel: "Cancel",
    save: "Save",
    add: "Add",
    saving: "Saving…",
    show_more: "Show more",
    show_less: "Show less",
    field_name: "Name",
    field_phone: "Phone",
    field_email: "E-mail",
    field_address: "Address",
    field_more_phones: "Other phones",
    field_more_emails: "Other e-mails",
    add_phone: "+ Phone",
    add_email: "+ E-mail",
    remove: "Remove",
    field_birth_date: "Birth date",
    field_document: "CPF/CNPJ",
    field_gender: "Gender",
    gender_none: "Not given",
    gender_female: "Female",
    gender_male: "Male",
    gender_other: "Other",
    field_organization: "Organization",
    no_organization: "None",
    field_groups: "Groups",
    field_group: "Group",
    photo_change: "Change photo",
    photo_remove: "Remove photo",
    nav_directory: "Organizations and groups",
    directory_title: "Organizations and groups",
    directory_organizations: "Organizations",
    directory_groups: "Groups",
    directory_new_organization: "New organization",
    directory_new_group: "New group",
    directory_no_organizations: "No organizations yet.",
    directory_no_groups: "No groups yet.",
    directory_create: "Create",
    directory_rename: "Rename",
    directory_one_contact: "1 contact",
    directory_contacts: "{n} contacts",
    directory_delete_organization_body: "Delete the organization \"{name}\"? Its {n} contacts stay in the address book, without an organization.",
    directory_delete_group_body: "Delete the group \"{name}\"? Its {n} contacts stay in the address book, outside the group.",
    filter_all_organizations: "All organizations",
    filter_all_groups: "All groups",
    no_groups: "No groups yet.",
    field_facebook: "Facebook",
    field_instagram: "Instagram",
    field_telegram: "Telegram",
    field_website: "Website",
    field_notes: "Notes",
    edit_contact_title: "Edit contact",
    duplicate_warning: "A contact with these details already exists (you may still save):",
    tab_timeline: "Timeline",
    tab_conversations: "Conversations",
    timeline_created: "Contact created",
    conversations_none: "No conversations with this contact yet.",
    conversations_shown: "{shown} of {total} conversations",
    delete_confirm_title: "Delete contact?",
    delete_confirm_body: "The contact and all its data will be removed. This cannot be undone.",
    delete_confirm: "Delete contact",
    details_title: "Details",
    form_has_errors: "Fix the highlighted fields.",
    nav_custom_fields: "Custom fields",
    cf_title: "Custom fields",
    cf_intro: "Fields your company adds to contacts. Required ones show at the top of the form; the rest under \"Show more\".",
    cf_new: "New field",
    cf_label: "Field name",
    cf_key: "Key",
    cf_key_help: "Used by the API and as the CSV column; leave blank to derive it from the name. It never changes.",
    cf_type: "Type",
    cf_required: "Required",
    cf_help: "Help text",
    cf_options_input: "Options (one per line)",
    cf_create: "Create field",
    cf_none: "No custom fields yet.",
    cf_move_up: "Move up",
    cf_move_down: "Move down",
    cf_edit: "Edit",
    cf_used_by: "{n} contact(s) with a value",
    cf_delete_body: "Delete the field \"{name}\"? {n} contact(s) will lose their value. This cannot be undone.",
    cf_options: "Options",
    cf_add_option: "Add option",
    cf_new_option: "New option",
    cf_retire: "Retire",
    cf_restore: "Restore",
    cf_retired: "retired",
    cf_yes: "Yes",
    cf_no: "No",
    cf_unset: "—",
    filter_field: "Custom field",
    filter_no_field: "None",
    filter_value: "Value",
    filter_from: "From",
    filter_to: "To",
    filter_birthday_month: "Anniversary in month",
    filter_any_month: "Any month",
    filter_apply: "Filter",
    filter_clear: "Clear filter",
    field_type_names: ["Text", "Long text", "Integer", "Decimal", "Currency (BRL)", "Date", "Date and time", "Yes/No", "Single select", "Multi select", "E-mail", "Phone", "URL", "CPF", "CNPJ"],
    month_names: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    more_options: "More options",
    export_csv_excel: "Export CSV (Excel)",
    export_csv_plain: "Export CSV (plain RFC 4180)",
    import_csv: "Import CSV",
    import_title: "Import contacts",
    import_intro: "Upload a CSV file exported from Excel, Google Contacts, Outlook or another system. Comma, semicolon or tab separated; UTF-8 or Windows-1252. Before importing you check where each column goes.",
    import_file: "CSV file",
    import_send: "Upload file",
    import_uploading: "Uploading…",
    import_checking: "Checking the file…",
    import_history: "Recent imports",
    import_none: "No imports yet.",
    import_mapping_title: "Map the columns",
    import_mapping_intro: "Check where each column of the file goes. Columns set to “Don't import” are left out.",
    import_column: "File column",
    import_goes_to: "Import as",
    import_sample: "Sample",
    import_ignore: "Don't import",
    import_policy_title: "Contacts that already exist",
    import_policy_hint: "A contact already exists when it has the same ID, phone or e-mail.",
    policy_skip: "Skip the row (keep the contact as it is)",
    policy_update: "Update the contact with the file's data",
    policy_create: "Create another contact anyway",
    import_start: "Import",
    import_cancel: "Cancel import",
    import_rows_of: "rows of",
    import_rate: "rows/s",
    import_eta: "Time left",
    import_interrupted: "Interrupted (the server restarted). It goes on by itself in a moment, from where it stopped; no row is imported twice.",
    import_errors_so_far: "Errors so far",
    import_created: "Created",
    import_updated: "Updated",
    import_skipped: "Skipped (existing or empty)",
    import_failed: "Failed",
    import_error_report: "Download error report (CSV)",
    import_another: "Import another file",
    import_view_contacts: "View contacts",
    import_encoding: "Encoding",
    import_delimiter: "Delimiter",
    import_rows: "Rows",
    import_by: "by",
    timeline_imported: "Contact created by the import of",
    import_status_names: ["Waiting for the column mapping", "Queued", "Importing", "Done", "Failed", "Cancelled"],
    import_status_interrupted: "Interrupted, goes on in a moment",
    target_names: ["Name", "First name", "Middle name", "Last name", "Phone", "E-mail", "Address", "Birth date", "CPF/CNPJ", "Gender", "Organization", "Groups", "Facebook", "Instagram", "Telegram", "Website", "Notes", "Contact ID"],
    timeline_by: "by",
    timeline_created_inbound: "Contact created by its first message via",
    timeline_edited: "Contact edited",
    timeline_started: "Conversation started via",
    timeline_started_customer: "The customer started a conversation via",
    timeline_closed: "Conversation closed",
    timeline_reopened: "Conversation reopened",
    timeline_comment: "Comment",
    timeline_comment_deleted: "Comment deleted",
    timeline_edited_mark: "(edited)",
    timeline_linked: "Linked to main contact",
    timeline_unlinked: "Unlinked from main contact",
    timeline_merged: "Contact merged with",
    timeline_empty_value: "(empty)",
    timeline_show: "Show timeline",
    timeline_hide: "Show contact details",
    comment_placeholder: "Write a comment…",
    comment_add: "Comment",
    open_conversation: "Open conversation",
    status_open: "Open",
    status_closed: "Closed",
    conversation_close: "Close conversation",
    conversation_reopen: "Reopen conversation",
    message_placeholder: "Type a message…",
    message_send: "Send",
    messages_none: "No messages yet.",
    messages_earlier: "earlier messages not shown",
    message_failed: "Not delivered",
    chat_closed_hint: "This conversation is closed. Reopen it to reply.",
    chat_details: "Chat details",
    chat_history: "Conversation history",
    chat_contact: "Contact",
    customer: "Customer",
    conversation_started_at: "Started",
    conversation_assigned: "Assigned to",
    conversation_unassigned: "Unassigned",
    filter_channel: "Channel",
    filter_status: "Status",
    filter_agent: "Agent",
    filter_all: "All",
    conversations_search: "Search by contact (name, phone, e-mail or ID)",
    conversations_no_match: "No conversation matches these filters.",
    nav_channels: "Channels",
    inbound_title: "Channels: inbound messages",
    inbound_intro: "Channel providers (WhatsApp, e-mail, Facebook, widget…) deliver customers' messages to this address, with the company's token in an Authorization: Bearer header.",
    inbound_endpoint: "Endpoint",
    inbound_none: "No token yet.",
    inbound_since: "Current token made on",
    inbound_rotate: "Make a new token",
    inbound_token_once: "Copy the token now: it will not be shown again. The previous token no longer works.",
    main_contact: "Main contact",
    main_contact_none: "None",
    main_contact_edit: "Change main contact",
    main_contact_select: "Select",
    main_contact_search: "Search by name or number",
    main_contact_unlink: "Unlink",
    main_contact_pick: "Pick a contact from the list.",
    linked_contacts: "Linked contacts",
    linked_to: "Linked to",
    merge: "Merge",
    merge_title: "Merge contacts",
    merge_keeps: "Kept:",
    merge_deletes: "Deleted:",
    merge_combined: "Phones, e-mails and groups are combined; conversations, comments, timeline and linked contacts move to the kept contact.",
    merge_choose: "Choose the value of each conflicting field:",
    merge_no_conflicts: "No conflicting fields: nothing is lost.",
    merge_field: "Field",
};

impl Messages {
    /// The label of an import mapping target (custom fields by their own label).
    pub fn target_name(
        &self,
        target: &crate::import_export::mapping::ColumnTarget,
    ) -> &'static str {
        use crate::import_export::mapping::ColumnTarget;
        ColumnTarget::STANDARD
            .iter()
            .position(|t| t == target)
            .map_or(self.import_ignore, |i| self.target_names[i])
    }

    /// The name of an import job's status.
    pub fn import_status(&self, status: crate::import_export::job::JobStatus) -> &'static str {
        use crate::import_export::job::JobStatus;
        let index = match status {
            JobStatus::Uploaded => 0,
            JobStatus::Queued => 1,
            JobStatus::Running => 2,
            JobStatus::Done => 3,
            JobStatus::Failed => 4,
            JobStatus::Cancelled => 5,
        };
        self.import_status_names[index]
    }

    /// The name of a custom field type.
    pub fn field_type_name(
        &self,
        field_type: crate::custom_fields::model::FieldType,
    ) -> &'static str {
        let index = crate::custom_fields::model::FieldType::ALL
            .iter()
            .position(|t| *t == field_type)
            .unwrap_or(0);
        self.field_type_names[index]
    }
}

/// The reactive locale, provided once by [`crate::App`].
#[derive(Debug, Clone, Copy)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    /// The strings of the current locale (tracks the locale signal).
    pub fn t(&self) -> &'static Messages {
        self.0.get().messages()
    }

    /// The current locale (tracks the locale signal).
    pub fn locale(&self) -> Locale {
        self.0.get()
    }

    /// Switches the language and remembers it in a cookie for a year.
    pub fn set_locale(&self, locale: Locale) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(document) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            {
                let cookie = format!(
                    "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    locale.code()
                );
                // A refused cookie only means the choice is not remembered.
                let _ = document.set_cookie(&cookie);
                if let Some(root) = document.document_element() {
                    let _ = root.set_attribute("lang", locale.code());
                }
            }
        }
        self.0.set(locale);
    }
}

/// The locale the page is first rendered in. On the server it comes from the
/// request's cookie; in the browser from `<html lang>`, which the server wrote.
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(axum::http::header::COOKIE)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .find_map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|root| root.get_attribute("lang"))
            .map(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// The language of a request's answers for API clients: the UI's choice
/// (the [`LOCALE_COOKIE`]) first, else the `Accept-Language` header, else
/// the default. (Pages follow the cookie only: Portuguese unless the user
/// switches.)
#[cfg(feature = "ssr")]
pub fn request_locale(headers: &axum::http::HeaderMap) -> Locale {
    let header = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
    };
    header(axum::http::header::COOKIE)
        .into_iter()
        .find_map(Locale::from_cookie_header)
        .or_else(|| {
            Locale::from_accept_language(&header(axum::http::header::ACCEPT_LANGUAGE).join(","))
        })
        .unwrap_or_default()
}

/// Provides the [`I18n`] context; called once by [`crate::App`].
pub fn provide_i18n() {
    provide_context(I18n(RwSignal::new(initial_locale())));
}

/// The [`I18n`] context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_locale() {
        let pick = Locale::from_accept_language;
        assert_eq!(pick("en"), Some(Locale::En));
        assert_eq!(pick("en-US,en;q=0.9,pt-BR;q=0.8"), Some(Locale::En));
        assert_eq!(pick("pt-BR,pt;q=0.9,en;q=0.8"), Some(Locale::PtBr));
        assert_eq!(pick("pt;q=0.5, en;q=0.8"), Some(Locale::En));
        assert_eq!(pick("fr-FR, de;q=0.5, en;q=0.1"), Some(Locale::En));
        assert_eq!(
            pick("en;q=0, pt"),
            Some(Locale::PtBr),
            "q=0: not acceptable"
        );
        assert_eq!(pick("fr, *"), None);
        assert_eq!(pick(""), None);
    }

    /// Every key of [`Messages`] with its text (or list of texts) in each
    /// locale.
    fn keys() -> Vec<(String, serde_json::Value, serde_json::Value)> {
        let table = |locale: Locale| match serde_json::to_value(locale.messages()) {
            Ok(serde_json::Value::Object(map)) => map,
            other => panic!("messages are a JSON object: {other:?}"),
        };
        let (pt, en) = (table(Locale::PtBr), table(Locale::En));
        pt.into_iter()
            .filter(|(key, _)| key != "locale")
            .map(|(key, text)| {
                let english = en[&key].clone();
                (key, text, english)
            })
            .collect()
    }

    #[test]
    fn every_key_is_translated() {
        // The same words in both languages, on purpose: names, symbols.
        const SAME: &[&str] = &[
            "Agenda",
            "E-mail",
            "+ E-mail",
            "CPF/CNPJ",
            "—",
            "Facebook",
            "Instagram",
            "SMS",
            "Telegram",
            "WhatsApp",
            "Status",
        ];
        let empty = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.trim().is_empty(),
            serde_json::Value::Array(items) => items.is_empty(),
            _ => true,
        };
        let untranslated: Vec<String> = keys()
            .into_iter()
            .filter(|(_, pt, en)| {
                empty(pt)
                    || empty(en)
                    || (pt == en && !pt.as_str().is_some_and(|text| SAME.contains(&text)))
            })
            .map(|(key, pt, _)| format!("{key} = {pt}"))
            .collect();
        assert!(untranslated.is_empty(), "not translated: {untranslated:#?}");
    }

    #[test]
    fn every_key_is_used() {
        let mut source = String::new();
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("source folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    source.push_str(&std::fs::read_to_string(&path).expect("source file"));
                }
            }
        }
        // A key is read as `.key` (`t().key`, `self.key`); the tables
        // themselves write `key:`.
        let unused: Vec<String> = keys()
            .into_iter()
            .map(|(key, _, _)| key)
            .filter(|key| {
                !source.match_indices(&format!(".{key}")).any(|(at, found)| {
                    !source[at + found.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            })
            .collect();
        assert!(unused.is_empty(), "keys no code reads: {unused:?}");
    }

    #[test]
    fn every_locale_knows_its_own_name() {
        for locale in Locale::ALL {
            assert_eq!(locale.messages().locale, locale);
        }
    }

    #[test]
    fn portuguese_is_the_default_language() {
        assert_eq!(Locale::default(), Locale::PtBr);
        assert_eq!(Locale::from_code("fr"), Locale::PtBr);
        assert_eq!(
            Locale::default().messages().search_placeholder,
            "Buscar contato"
        );
    }

    #[test]
    fn limits_and_bounds_read_in_the_users_language_with_the_wait() {
        use crate::error::{AppError, Limit, RequestPart};
        let login = AppError::TooManyRequests {
            limit: Limit::Login,
            retry_after_secs: 14 * 60 + 1,
        };
        assert_eq!(
            PT_BR.error(&login),
            "Muitas tentativas de login com este e-mail. Tente novamente em 15 min."
        );
        assert_eq!(
            EN.error(&login),
            "Too many sign-in attempts with this e-mail. Try again in 15 min."
        );
        let paced = AppError::TooManyRequests {
            limit: Limit::LoginPace,
            retry_after_secs: 8,
        };
        assert!(PT_BR.error(&paced).ends_with("Tente novamente em 8 s."));
        let busy = AppError::Busy {
            retry_after_secs: 0,
        };
        assert_eq!(
            EN.error(&busy),
            "The server is busy right now. Try again in 1 s."
        );
        let large = AppError::TooLarge {
            part: RequestPart::Body,
            limit_bytes: 1_048_576,
        };
        assert_eq!(
            PT_BR.error(&large),
            "O envio é grande demais: o limite é 1 MB."
        );
        let sign_ups = AppError::TooManyRequests {
            limit: Limit::SignUp,
            retry_after_secs: 3_600,
        };
        assert!(EN.error(&sign_ups).contains("60 min"));
    }

    #[test]
    fn english_codes_select_english() {
        assert_eq!(Locale::from_code("en"), Locale::En);
        assert_eq!(Locale::from_code("en-US"), Locale::En);
        assert_eq!(Locale::from_code("pt-BR"), Locale::PtBr);
    }

    #[test]
    fn the_locale_cookie_is_found_among_others() {
        assert_eq!(
            Locale::from_cookie_header("a=1; agenda_locale=en; b=2"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_cookie_header("a=1; b=2"), None);
        assert_eq!(Locale::from_cookie_header("agenda_locale_x=en"), None);
    }

    #[test]
    fn codes_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), locale);
        }
    }

    #[test]
    fn the_product_labels_are_used_in_portuguese() {
        let t = &PT_BR;
        assert_eq!(t.col_start_via, "Iniciar conversa via");
        assert_eq!(t.col_contact_id, "ID do contato");
        assert_eq!(t.nav_service_section, "Atendimentos");
    }
}
