//! The Content-Security-Policy of every HTML page (server only).
//!
//! Pages may run only the app's own scripts and WebAssembly: the bundle under
//! `/pkg/` (same origin) and the inline scripts Leptos writes for hydration
//! and streamed resources, which carry the response's nonce. Nothing may
//! frame a page. The other security headers, which every response gets, are
//! added by the server (`server::headers`).

use axum::http::{header, HeaderValue};

/// The policy for a page whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy on the response being rendered, with the nonce
/// leptos_axum gave this render.
pub fn set_content_security_policy() {
    use leptos::prelude::use_context;
    let (Some(options), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        options.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_scripts_run_and_nothing_frames_a_page() {
        let policy = content_security_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
    }
}
