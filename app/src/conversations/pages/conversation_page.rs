//! `/conversations/:id`: the chat, and beside it "Detalhes do atendimento"
//! (the contact, its history and its timeline).

use leptos::prelude::*;

use crate::conversations::api::get_conversation;
use crate::conversations::components::{ChatDetails, ChatView};
use crate::ui::ErrorMessage;

/// One conversation.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let id = crate::ui::route_id();
    let conversation = Resource::new(move || id.get(), get_conversation);
    // Bumped when the chat closes or reopens: the details reload.
    let refresh = RwSignal::new(0u32);
    view! {
        <section class="conversation-page">
            <Suspense>
                {move || Suspend::new(async move {
                    match conversation.await {
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        Ok(conversation) => {
                            let contact_id = conversation.summary.contact_id;
                            let conversation_id = conversation.summary.id;
                            view! {
                                <ChatView conversation on_status=Callback::new(move |_| refresh.update(|r| *r += 1)) />
                                <ChatDetails contact_id conversation_id refresh />
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
