/**
 * Text the generated org is written in (unicode on purpose: accents, CJK, Cyrillic, Greek, Arabic, emoji), and the
 * frozen DraftJs bodies drawn from the outbound texts (shared by drafts, forwards and shortcuts).
 */
import { EMPTY, EMPTY_OBJ, frozenArr, type Attrs } from './json-api';

export const FIRST: ReadonlyArray<readonly [string, string]> = [
  ['José', 'jose'], ['Zoë', 'zoe'], ['Søren', 'soren'], ['Łukasz', 'lukasz'], ['François', 'francois'], ['Chloé', 'chloe'],
  ['Björn', 'bjorn'], ['Ahmed', 'ahmed'], ['Mia', 'mia'], ['Liam', 'liam'], ['Emma', 'emma'], ['Noah', 'noah'],
  ['Olivia', 'olivia'], ['Sofía', 'sofia'], ['Mateo', 'mateo'], ['Aiko', 'aiko'], ['美咲', 'misaki'], ['太郎', 'taro'],
  ['伟', 'wei'], ['秀英', 'xiuying'], ['Иван', 'ivan'], ['Ольга', 'olga'], ['Σοφία', 'sofia'], ['محمد', 'mohammed'],
  ['Fatima', 'fatima'], ['João', 'joao'], ['Thảo', 'thao'], ['Priya', 'priya'], ['Arjun', 'arjun'], ['Siobhán', 'siobhan'],
  ['Seán', 'sean'], ['Ingrid', 'ingrid'], ['Małgorzata', 'malgorzata'], ['Ana', 'ana'], ['Lucas', 'lucas'], ['Ava', 'ava'],
  ['Ethan', 'ethan'], ['Isabella', 'isabella'], ['Jürgen', 'jurgen'], ['Ayşe', 'ayse'], ['Minh', 'minh'], ['지우', 'jiwoo'],
];
export const LAST: ReadonlyArray<readonly [string, string]> = [
  ['García', 'garcia'], ['Müller', 'muller'], ['Østergaard', 'ostergaard'], ['Nowak', 'nowak'], ['佐藤', 'sato'], ['王', 'wang'],
  ["O'Brien", 'obrien'], ['Smith', 'smith'], ['Dubois', 'dubois'], ['Иванов', 'ivanov'], ['Παπαδόπουλος', 'papadopoulos'],
  ['Nguyễn', 'nguyen'], ['Silva', 'silva'], ['van der Berg', 'vanderberg'], ['Kowalczyk', 'kowalczyk'], ['Johnson', 'johnson'],
  ['Brown', 'brown'], ['Rossi', 'rossi'], ['Yılmaz', 'yilmaz'], ['Kim', 'kim'], ['李', 'li'], ['Fernández', 'fernandez'],
  ['Lefèvre', 'lefevre'], ['Ångström', 'angstrom'], ['Haddad', 'haddad'], ['Williams', 'williams'], ['Jones', 'jones'],
  ['Martin', 'martin'], ['Schmidt', 'schmidt'], ['Kovač', 'kovac'], ['Dvořák', 'dvorak'], ['Ó Súilleabháin', 'osullivan'],
];
export const EMOJI = ['🎉', '🚀', '🌸', '⭐', '🐶', '☕', '🌮', '💜'];
export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'web.de', 'orange.fr', 'qq.com', 'example.org'];

export const CO_A = ['Blue', 'Nordic', 'Golden', 'Rapid', 'Émeraude', 'Sakura 桜', 'Alpine', 'Urban', 'Prime', 'Zen', 'Café', 'Müller &', 'Северный', 'Aurora', 'Ōkami'];
export const CO_B = ['Outfitters', 'Labs', 'Coffee', 'Logistics', 'Goods', 'Studio', 'Systems', 'Apparel', 'Foods', 'Pets', 'Söhne', 'Design'];
export const CO_C = ['', '', ' Inc.', ' LLC', ' GmbH', ' S.A.', ' Ltd', ' K.K.', ' ApS', ' Co.'];

export const SUBJECTS = [
  'Where is my order?', 'Refund request', 'Problème de livraison', 'Cambio de talla', '注文について', "Can't log in 😕",
  'Damaged item', 'Subscription renewal', 'Question about sizing', 'Rückerstattung bitte', 'Invoice copy', 'Address change',
  'Re: Your order #10442', 'Fwd: Receipt', 'Заказ не пришёл', 'Wrong colour received', 'Cancel my subscription',
  'Promo code not working 🤔', '返品したいです', 'Hello!!!', '', 'Partnership inquiry', 'Password reset',
];
export const IN_TEXTS = [
  'Hi, my order still has not arrived. Can you check?', 'Bonjour, le colis est arrivé abîmé 😢', '¿Puedo cambiar la talla?',
  '注文した商品がまだ届きません。', 'I was charged twice for the same order!!', 'Can I get a refund for order #10293?',
  'Hallo, ich möchte mein Abo kündigen.', 'The app keeps logging me out 🙃', 'Thanks so much, that fixed it ❤️',
  'Где мой заказ?', 'Do you ship to Reykjavík?', 'ok', 'Need help ASAP — event is on Saturday!',
  'Line one\nLine two\n\n— sent from my phone', 'Is the "Classic" model back in stock?', 'Quick question about my invoice 📄',
  '', '👍', 'Can someone call me back? +1 (555) 013-2233', 'My promo code SAVE20 is not working',
];
export const OUT_TEXTS = [
  'Hi there! Thanks for reaching out — I have checked your order and it ships today.', "I'm sorry about that! I've issued a full refund.",
  'Bonjour ! Nous allons vous envoyer un remplacement.', '¡Claro! Te envío una etiqueta de devolución.', 'ご連絡ありがとうございます。確認いたします。',
  'Your subscription has been cancelled. You will not be charged again.', 'Could you send me a photo of the damaged item? 📷',
  'Great news — your package was delivered this morning.', 'I have reset your password; please check your inbox.',
  'Happy to help! Is there anything else I can do?', 'Спасибо за обращение! Мы уже проверяем.',
  'Following up on your request from yesterday.', 'Here is your invoice: see attachment.',
];
export const NOTE_TEXTS = [
  'Customer is a VIP — expedite.', 'Escalated to tier 2 (billing).', 'Refund approved by @manager.', 'Possible fraud, do not refund.',
  'Called customer, left voicemail 📞', 'Duplicate of an earlier conversation.', 'Remarque : client francophone.', '要フォローアップ',
  'Shipping label re-sent.\nTracking: 1Z999AA10123456784', 'Waiting on warehouse 🏭', '',
];
export const NAMES_SHORTCUT = [
  'Greeting', 'Where is my order', 'Refund issued', 'Return label', 'Closing', 'Escalation', 'Password reset', 'Shipping delays',
  'Cancel subscription', 'Damaged item', 'Bonjour (FR)', 'Saludo (ES)', 'VIP apology 🙏', 'Out of stock', 'Holiday hours',
];
export const ATTACHMENT_FILES: ReadonlyArray<readonly [string, string]> = [
  ['invoice.pdf', 'application/pdf'], ['IMG_2041.jpg', 'image/jpeg'], ['screenshot 2023-11-02 at 10.14.22.png', 'image/png'],
  ['recibo_0045.pdf', 'application/pdf'], ['写真.jpg', 'image/jpeg'], ['return-label.pdf', 'application/pdf'],
  ['order-summary.csv', 'text/csv'], ['voice-memo.m4a', 'audio/mp4'], ['Übersicht.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];
export const LANGS = ['en', 'en', 'en', 'en', 'fr', 'es', 'de', 'ja', 'ru', 'pt', 'zh'];
export const LOCALES = ['en-US', 'en-US', 'en-GB', 'fr-FR', 'es-ES', 'de-DE', 'ja-JP', 'ru-RU', 'pt-BR', 'zh-CN'];
export const TIMEZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Sydney'];

// DraftJs bodies (shared, frozen).
function draftJs(text: string, key: string): Attrs {
  return Object.freeze({
    blocks: frozenArr(
      text.split('\n').map((line, i) =>
        Object.freeze({ key: `${key}${i}`, text: line, type: 'unstyled', depth: 0, inlineStyleRanges: EMPTY, entityRanges: EMPTY, data: EMPTY_OBJ }),
      ),
    ),
    entityMap: EMPTY_OBJ,
  });
}
export const DRAFTJS_POOL: readonly Attrs[] = OUT_TEXTS.map((t, i) => draftJs(t, `b${(i * 7919).toString(36).slice(0, 3)}`));
