/**
 * Spam cues: a short, hand-written list of the ways comment spam asks for something, each
 * matched on folded text (lower case, accents removed) and reported as one feature per cue
 * family. The model learns each family's weight from data; the list only tells it that
 * "sub to my channel" and "subscribe to me" are the same request, so a wording that never
 * appeared in training is still recognised.
 *
 * The families follow the usual taxonomy of comment spam (self-promotion, subscriber / like
 * / follower begging, share requests, money and prize offers); they are not taken from any
 * one video's comments. The main ones also list common Spanish, Portuguese, French and
 * German wordings, as comment sections are multilingual.
 */
export interface SpamCue {
  readonly name: string;
  readonly pattern: RegExp;
}

export const SPAM_CUES: readonly SpamCue[] = [
  {
    // "my channel", "our new video", "my music", "my page"; "mi canal", "meu canal", "ma chaine"
    name: 'own-content',
    pattern:
      /\b(?:(?:my|our|mah|me)\s+(?:new\s+|first\s+|latest\s+|own\s+|little\s+|youtube\s+)?(?:channel|chanel|channle|vids?|videos?|videoes|songs?|music|tracks?|mixtapes?|covers?|page|blog|site|website|profile|playlist|band|app|game|album|raps?|beats?|remix|stuff|instagram|twitter|facebook|account|store|shop)|(?:mi|mis|meu|meus|minha|nuestro|mon|ma|mes|mein|meine|il\s+mio)\s+(?:nuevo\s+|novo\s+|nouvelle\s+|neues\s+)?(?:canal|canale|chaine|kanal|videos?|video|musica|musique|cancion|pagina|page|blog)|(?:channel|kanal)\s+(?:saya|ku))\b/,
  },
  {
    // "check out", "take a look", "look up", "go watch", "visit"; "mira mi", "confira", "visita"
    name: 'visit-request',
    pattern:
      /\b(?:check\s*(?:it\s+|this\s+|that\s+|me\s+|us\s+)?out|take\s+a\s+look|have\s+a\s+look|look\s+(?:up|at\s+(?:my|this|our))|go\s+(?:watch|see|check|to\s+(?:my|our|this\s+(?:site|link|page)))|come\s+(?:and\s+)?(?:watch|see|check)|visit(?:a|e|en|ez)?\b|click\b|watch\s+(?:my|our|it\s+on)|listen\s+to\s+(?:my|our|this)|search\s+(?:for\s+)?["']?\w|miren?\s+(?:mi|mis|este|esta)\b|vean\s+(?:mi|mis)\b|confira|echa(?:d|le)?\s+un\s+vistazo|de\s+uma\s+olhada)/,
  },
  {
    // A request to subscribe: "subscribe", "sub to me", "sub4sub"; "suscribete", "inscreva-se",
    // "abonnez". Not "subscribers" or "subscribed" (see the next family).
    name: 'subscribe',
    pattern:
      /\b(?:sub|subs?c?ri[bv]e|subs?c?ribing|sucscribe|sub\s*(?:4|for)\s*sub|suscri(?:be|bete|banse|bir)|inscreva(?:m|-se)?|abonnez|abonniert?|abonnieren)\b/,
  },
  {
    // Talk about subscribers: "14 million subscribers", "i subscribed", "3m subs" (fans say it
    // about the artist as much as spammers about themselves, so it is its own family).
    name: 'subscribers',
    pattern: /\b(?:subs|subscribers?|subscribed|subscriptions|suscriptores|inscritos|abonnes)\b/,
  },
  {
    // "like this comment", "thumbs up if", "like if", "like 4 like", "give it a like"; "dale like"
    name: 'like-request',
    pattern:
      /\b(?:(?:like|thumbs?\s*up|upvote)\s+(?:this\s+comment|my\s+comment|if|for|so|4|this\s+if|pls|please)|give\s+(?:it|this|me)\s+a\s+(?:like|thumbs)|hit\s+(?:the|that|a)\s+(?:like|thumbs)|smash\s+(?:the|that)\s+like|likes?\s+(?:4|for)\s+likes?|(?:dale|denle|den|deja|dejen)\s+(?:un\s+|tu\s+|su\s+)?like|curtam|curte\s+ai)\b/,
  },
  {
    // "follow me", "follow 4 follow", "add me"; "siganme", "me sigam"
    name: 'follow-request',
    pattern:
      /\b(?:follow\s+(?:me|my|us|4|for|back)|add\s+me|f4f|l4l|siganme|sigueme|me\s+sigam|suivez\s+moi)\b/,
  },
  {
    // "share this", "please share", "spread the word", "send this to"; "comparte", "compartilhe"
    name: 'share-request',
    pattern:
      /\b(?:share\s+(?:this|it|my|our|your|if)|please\s+share|spread\s+(?:the\s+word|this)|(?:copy\s+and\s+)?paste\s+this|send\s+this\s+to|compartan|comparte|compartilhe|partagez)\b/,
  },
  {
    // "earn money", "free gift cards", "earn $500", "claim your £900", "a £1000 cash prize",
    // "$50 a day", "win a prize", "paypal", "donate". A price alone ("went from $3.49 to
    // $4.15", "£1.2bn, roughly £180 for every resident") is not an offer, so not a cue.
    name: 'money',
    pattern:
      /(?:\b(?:earn|earning|make|making|win|won|winner|get|claim|pays?|paid|prize|reward|cash)\b(?:\s+[\w-]+){0,2}\s+[$£€]\s?\d|[$£€]\s?\d[\d,.]*k?\s+(?:[\w-]+\s+)?(?:prizes?|cash|rewards?|awards?|bonus|vouchers?|gift)\b|[$£€]\s?\d[\d,.]*k?\s*(?:\/|an?|every)\s*(?:hour|hr|day|week)\b|\b(?:earn|make|making|win|won|get|claim)\s+(?:real\s+|extra\s+|free\s+|easy\s+|\w+\s+)?(?:money|cash|dollars|prizes?|rewards?|gift\s*cards?|bucks)\b|\b(?:paypal|pay\s+pal|bitcoins?|donate|donations?|free\s+(?:gift|money|cash|iphone|ipad|psn|xbox|robux|v-?bucks|followers|subscribers|likes|views)|giveaway|gift\s*cards?|per\s+(?:hour|day|week)|work\s+from\s+home|ganar\s+dinero|ganhar\s+dinheiro)\b)/,
  },
  {
    // "please", "plz", "pls"; "por favor", "porfa", "s'il vous plait", "bitte"
    name: 'pleading',
    pattern: /\b(?:please|plz|pls|plzz+|plis|por\s*favor|porfa|s'?il\s+vous\s+plait|bitte)\b/,
  },
  {
    // "help me reach 100 subscribers", "if i get 1000 subs", "trying to get to 20"
    name: 'audience-goal',
    pattern:
      /\b(?:help\s+me\s+(?:get|reach|grow)|(?:if|when)\s+i\s+(?:get|reach|hit)\s+\d|get\s+(?:me\s+)?to\s+\d+\s*(?:k\s+)?(?:subs|subscribers|likes|followers|views))/,
  },
];

/** Names of the cue families found in folded text, in list order. */
export function matchSpamCues(folded: string): string[] {
  const out: string[] = [];
  for (const cue of SPAM_CUES) if (cue.pattern.test(folded)) out.push(cue.name);
  return out;
}
