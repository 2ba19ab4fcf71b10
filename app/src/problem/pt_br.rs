//! The Portuguese (Brazil) words of each [`Problem`].

use super::Problem;

/// `problem` in Portuguese.
pub(super) fn words(problem: &Problem) -> String {
    match problem {
        Problem::ContactNameRequired => "Informe o nome do contato.".into(),
        Problem::CompanyNameRequired => "Informe o nome da empresa.".into(),
        Problem::YourNameRequired => "Informe seu nome.".into(),
        Problem::TooLong { max } => format!("Use no máximo {max} caracteres."),
        Problem::BadHandle => "Informe o usuário sem espaços (ex.: @loja.exemplo).".into(),
        Problem::NotAPhone { text } => format!("\"{text}\" não é um número de telefone."),
        Problem::ImplausiblePhone { text } => {
            format!(
                "\"{text}\" não parece um telefone: use DDD + número, ex.: (11) 98765-4321."
            )
        }
        Problem::InvalidPhone { text } => format!("\"{text}\" não é um telefone válido."),
        Problem::DuplicatePhone => "Este telefone já está na lista.".into(),
        Problem::TooManyPhones { max } => format!("No máximo {max} telefones."),
        Problem::EmailRequired => "Informe o e-mail.".into(),
        Problem::InvalidEmail { text } => format!("\"{text}\" não é um e-mail válido."),
        Problem::DuplicateEmail => "Este e-mail já está na lista.".into(),
        Problem::TooManyEmails { max } => format!("No máximo {max} e-mails."),
        Problem::NotADate { text } => format!("\"{text}\" não é uma data (use DD/MM/AAAA)."),
        Problem::BirthDateInFuture => "A data de nascimento não pode estar no futuro.".into(),
        Problem::BirthDateTooOld => "A data de nascimento deve ser depois de 1900.".into(),
        Problem::DocumentLength => "Informe um CPF (11 dígitos) ou CNPJ (14 dígitos).".into(),
        Problem::CpfCheckDigits => {
            "CPF inválido: os dígitos verificadores não conferem.".into()
        }
        Problem::CnpjCheckDigits => {
            "CNPJ inválido: os dígitos verificadores não conferem.".into()
        }
        Problem::ChooseOption => "Escolha uma das opções.".into(),
        Problem::BadWebsite => "Informe um endereço como loja.com.br.".into(),
        Problem::PasswordTooShort { min } => {
            format!("A senha precisa de pelo menos {min} caracteres.")
        }
        Problem::PasswordTooLong { max } => {
            format!("A senha pode ter no máximo {max} caracteres.")
        }
        Problem::FieldLabelTaken => "Já existe um campo com este nome.".into(),
        Problem::BadFieldKey { max } => format!(
            "Use de 1 a {max} letras minúsculas sem acento, dígitos ou _, começando por letra."
        ),
        Problem::ReservedFieldKey { key } => {
            format!("\"{key}\" já é um campo do contato; escolha outra chave.")
        }
        Problem::FieldKeyTaken { key } => format!("Já existe um campo com a chave \"{key}\"."),
        Problem::ChooseFieldType => "Escolha o tipo do campo.".into(),
        Problem::DuplicateOption => "Esta opção já está na lista.".into(),
        Problem::OptionsRequired => "Informe ao menos uma opção.".into(),
        Problem::TooManyOptions { max } => format!("No máximo {max} opções."),
        Problem::TooManyFields { max } => {
            format!("A empresa já tem {max} campos personalizados, o máximo.")
        }
        Problem::OptionExists => "Esta opção já existe.".into(),
        Problem::SeveralOptionsChosen { count } => format!(
            "{count} contato(s) têm mais de uma opção escolhida; deixe uma só em cada antes de trocar para seleção única."
        ),
        Problem::ValuesDoNotConvert { count, examples } => format!(
            "{count} contato(s) têm valores que não servem para o novo tipo (ex.: {examples}). Corrija esses valores ou crie outro campo."
        ),
        Problem::FieldOptionsFull => "Este campo já tem o máximo de opções.".into(),
        Problem::NotASelectType => {
            "Um campo de seleção só pode virar seleção única ou múltipla, e vice-versa.".into()
        }
        Problem::CustomFieldRequired { label } => {
            format!("Preencha \"{label}\": é obrigatório.")
        }
        Problem::UnknownCustomField { key } => format!("O campo \"{key}\" não existe."),
        Problem::CustomFieldNotFound => "Campo personalizado não encontrado.".into(),
        Problem::NotAnInteger { text } => format!("\"{text}\" não é um número inteiro."),
        Problem::NotANumber { text } => format!("\"{text}\" não é um número (ex.: 1.234,56)."),
        Problem::TooManyDecimals { max } => format!("Use no máximo {max} casas decimais."),
        Problem::NotAnAmount { text } => {
            format!("\"{text}\" não é um valor em reais (ex.: 1.234,56).")
        }
        Problem::AmountDecimals => "Use no máximo 2 casas decimais (centavos).".into(),
        Problem::InvalidDate { text } => {
            format!("\"{text}\" não é uma data válida (use DD/MM/AAAA).")
        }
        Problem::InvalidDateTime { text } => {
            format!("\"{text}\" não é uma data e hora válida (use DD/MM/AAAA HH:MM).")
        }
        Problem::NotYesNo { text } => format!("\"{text}\" não é Sim nem Não."),
        Problem::NotAnAddress { text } => {
            format!("\"{text}\" não é um endereço (ex.: loja.com.br).")
        }
        Problem::NotAnOption { text } => format!("\"{text}\" não é uma opção deste campo."),
        Problem::RetiredOption { label } => {
            format!("A opção \"{label}\" foi desativada e não pode ser escolhida.")
        }
        Problem::OneOptionOnly => "Escolha uma opção só.".into(),
        Problem::CnpjNotCpf => "Isto é um CNPJ; o campo pede um CPF (11 dígitos).".into(),
        Problem::CpfLength => "Informe um CPF com 11 dígitos.".into(),
        Problem::CpfRequired => "O campo pede um CPF (11 dígitos).".into(),
        Problem::CpfNotCnpj => "Isto é um CPF; o campo pede um CNPJ (14 dígitos).".into(),
        Problem::CnpjLength => "Informe um CNPJ com 14 dígitos.".into(),
        Problem::CnpjRequired => "O campo pede um CNPJ (14 dígitos).".into(),
        Problem::MonthNeedsDate => "Só campos de data filtram por mês.".into(),
        Problem::ChooseMonth => "Escolha um mês de 1 a 12.".into(),
        Problem::FilterValueRequired => "Informe um valor para filtrar.".into(),
        Problem::MessageRequired => "Escreva a mensagem.".into(),
        Problem::MessageTooLong { chars, max } => {
            format!("A mensagem tem {chars} caracteres; o máximo é {max}.")
        }
        Problem::CommentRequired => "Escreva o comentário.".into(),
        Problem::CommentTooLong { chars, max } => {
            format!("O comentário tem {chars} caracteres; o máximo é {max}.")
        }
        Problem::PeriodEndsBeforeStart => "O fim do período é anterior ao início.".into(),
        Problem::BadCursor => "Cursor de página inválido.".into(),
        Problem::ConversationClosed => {
            "A conversa está encerrada: reabra-a para enviar mensagens.".into()
        }
        Problem::ContactHasNoPhone => "Este contato não tem telefone.".into(),
        Problem::ContactHasNoEmail => "Este contato não tem e-mail.".into(),
        Problem::ContactHasNoTelegram => "Este contato não tem usuário do Telegram.".into(),
        Problem::ContactHasNoInstagram => "Este contato não tem usuário do Instagram.".into(),
        Problem::CustomerWritesFirst { channel } => format!(
            "{} só fica disponível depois que o cliente escrever por ele.",
            if channel == "facebook" { "O Facebook" } else { "O widget do site" }
        ),
        Problem::SenderRequired => {
            "Informe quem escreveu (telefone, e-mail ou usuário do canal).".into()
        }
        Problem::InvalidHandle { text } => format!("\"{text}\" não é um usuário válido."),
        Problem::UnknownChannel { text, known } => {
            format!("Canal \"{text}\" desconhecido (use {known}).")
        }
        Problem::BadJson { detail } => format!("O corpo não é o JSON esperado: {detail}."),
        Problem::LinkToItself => {
            "Um contato não pode ser o seu próprio contato principal.".into()
        }
        Problem::MainIsLinked => "O contato escolhido já está vinculado a outro contato principal: escolha esse principal.".into(),
        Problem::ContactIsMain { count } => format!(
            "Este contato é o contato principal de {count} contato(s): desvincule-os antes de vinculá-lo a outro."
        ),
        Problem::MergeSameContact => "Escolha dois contatos diferentes.".into(),
        Problem::NotAConflict { field } => {
            format!("\"{field}\" não é um campo em conflito entre os dois contatos.")
        }
        Problem::PhotoRequired => "Escolha uma imagem.".into(),
        Problem::PhotoTooLarge => "A foto deve ter no máximo 2 MB.".into(),
        Problem::NotAnImage => "A foto deve ser uma imagem JPEG, PNG ou WebP.".into(),
        Problem::UnreadableUpload => "Não foi possível ler o arquivo enviado.".into(),
        Problem::ContactRequired => "Informe o contato.".into(),
        Problem::BadContactId => "ID de contato inválido.".into(),
        Problem::NameRequired => "Informe o nome.".into(),
        Problem::NameTooLong { max } => format!("O nome aceita no máximo {max} caracteres."),
        Problem::OrganizationNameTaken => "Já existe uma organização com este nome.".into(),
        Problem::GroupNameTaken => "Já existe um grupo com este nome.".into(),
        Problem::OrganizationNotFound => "Organização não encontrada.".into(),
        Problem::GroupNotFound => "Grupo não encontrado.".into(),
        Problem::QueryTooLong { max } => format!("A busca aceita no máximo {max} caracteres."),
        Problem::ExportFormat => "Use format=excel ou format=rfc4180.".into(),
        Problem::TimeZone => "Fuso horário desconhecido: use um nome IANA como America/Sao_Paulo.".into(),
        Problem::EmailTaken => "Já existe uma conta com este e-mail.".into(),
        Problem::AccountDeactivated => "Esta conta foi desativada por um administrador.".into(),
        Problem::WrongCredentials => "E-mail ou senha incorretos.".into(),
        Problem::CannotDeactivateSelf => "Você não pode desativar a sua própria conta.".into(),
        Problem::InviteInvalid => "Este convite não é válido: ele expirou ou já foi usado. Peça um novo ao administrador.".into(),
        Problem::HeaderTooLong => {
            "A primeira linha do arquivo passa de 1 MB: não parece um CSV de contatos.".into()
        }
        Problem::MappingLength { columns, sent } => {
            format!("O arquivo tem {columns} colunas; o mapeamento enviado tem {sent}.")
        }
        Problem::MappingNeedsIdentity => {
            "Associe ao menos uma coluna a Nome, Telefone ou E-mail.".into()
        }
        Problem::FileEmpty => "O arquivo está vazio.".into(),
        Problem::FileHeaderOnly => {
            "O arquivo só tem o cabeçalho: nenhum contato para importar.".into()
        }
        Problem::FileBinary => "O arquivo não parece um CSV: tem bytes binários (é uma planilha .xlsx, uma imagem ou um arquivo compactado?). Salve como CSV e envie de novo.".into(),
        Problem::FileUnclosedQuote { line } => format!("Uma aspa aberta na linha {line} nunca é fechada: o resto do arquivo ficaria numa célula só. Corrija a linha {line} e envie de novo."),
        Problem::FileTooLarge { mb } => {
            format!("O arquivo tem mais de {mb} MB, o limite configurado para importações.")
        }
    }
}
