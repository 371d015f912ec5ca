const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Everything the bot says in English. Spanish mirrors these keys in es.ts. */
export const en = {
  greet:
    "Hi! I'm the parking assistant. I can find a space, book it, extend or cancel it. Where do you want to park?",
  goodbye: 'Bye! Drive safely.',
  thanks: "You're welcome!",
  hello: 'Hi there! Happy to help.',
  help:
    'I can:\n• find parking near a place ("parking near the stadium")\n• book a space ("book an EV space at Paddington tomorrow 9 to 11")\n' +
    '• show, extend or cancel your bookings\n• tell you prices\n• put you through to a person\nJust write what you need.',
  notUnderstood: [
    'Sorry, I didn\'t get that. Could you say it another way — for example "book a space tomorrow at 9"?',
    "I'm still not sure what you mean.",
  ],
  offerPerson: 'Would you like to talk to a person, or see what I can do?',
  didYouMean: 'Did you mean…',
  stopped: "OK, I've stopped. Nothing was booked. What else can I do for you?",
  idleExpired: 'We were in the middle of something, but it has been a while, so I started over.',
  rateLimited: "You're sending messages faster than I can keep up. Please wait a minute and try again.",
  tooLong: (max: number) => `That message was long — I only read the first ${max} characters.`,
  error: 'Sorry, something went wrong on my side. Please try again in a moment.',

  // booking
  askFacility: 'Where would you like to park? Tell me a car park or a place, or share your location.',
  askStart: 'When do you arrive? (e.g. "tomorrow at 9", "today 3pm")',
  askStartOn: (day: string) =>
    `What time ${day === 'today' || day === 'tomorrow' ? day : `on ${day}`}? (e.g. "9am", "3pm")`,
  askEnd: 'Until when? (e.g. "until 11", "for 2 hours")',
  askPlate: "What's your licence plate?",
  askPlateRetry: 'Please send the licence plate, e.g. AB12 CDE.',
  askFacilityRetry:
    'I couldn\'t match that to a car park. Try a name like "King\'s Cross" or a place like "near the stadium".',
  askTimeRetry: 'Sorry, I need a time — for example "tomorrow 9am" or "in 30 minutes".',
  choosePlace: (place: string) => `Car parks near ${place}:`,
  chooseFacility: 'Which one?',
  noFacilityNear: (place: string) =>
    `I couldn't find a car park near ${place}. Try another place or a car park's name.`,
  corrected: (what: string) => `Got it — ${what}.`,
  changedStart: (when: string) => `starting ${when}`,
  changedEnd: (when: string) => `until ${when}`,
  changedFacility: (name: string) => `at ${name}`,
  changedPlate: (plate: string) => `plate ${plate}`,
  changedKind: (kind: string) => `${kind} space`,
  quote: (facility: string, kind: string, when: string, price: string, surge: string) =>
    `${upperFirst(kind)} space at ${facility}, ${when}: ${price}${surge}. Shall I book it?`,
  surge: (x: string) => ` (busy time: ×${x})`,
  bookIt: 'Book it',
  change: 'Change something',
  cancelFlow: 'Cancel',
  whatToChange: 'What should I change? You can tell me a new time, place or plate.',
  notBooked: "OK, I haven't booked anything.",
  booked: (ref: string) => `Done! Your booking ${ref} is confirmed. Pay at the car park on arrival.`,
  bookingCardTitle: 'Your booking',
  refusals: {
    'BOOKING.NO_SPACE_AVAILABLE': 'Sorry, that car park has no free space of that kind for that time.',
    'BOOKING.SPACE_TAKEN': 'Sorry, that space was just taken.',
    'BOOKING.OUTSIDE_OPENING_HOURS': 'That car park is closed for part of that time.',
    'BOOKING.TOO_LONG': (max: string) => `That's longer than the maximum stay there (${max}).`,
    'BOOKING.IN_PAST': 'That time has already passed. When do you arrive?',
    'BOOKING.INVALID_WINDOW': 'The end needs to be after the start.',
    'BOOKING.HOLD_EXPIRED': 'The space I held for you has been released. Shall we try again?',
    'BOOKING.NOT_YOURS': "I can't find that booking among yours.",
    'BOOKING.NOT_FOUND': "I can't find that booking.",
    'BOOKING.INVALID_STATE': "That booking can't be changed any more.",
    other: 'Sorry, I could not do that.',
  } as Record<string, string | ((max: string) => string)>,
  tryAnotherTime: 'Try another time',
  tryNearby: 'Show nearby car parks',

  // find / prices
  nearest: 'Nearest car parks with free spaces now:',
  facilities: 'Car parks:',
  bookHere: 'Book here',
  shareLocation: 'Share my location',
  priceList: 'Prices per hour:',
  priceQuote: (facility: string, when: string, price: string) => `${facility}, ${when}: ${price}.`,

  // my bookings / cancel / extend
  noBookings: "You don't have any upcoming bookings.",
  yourBookings: 'Your upcoming bookings:',
  whichBooking: 'Which booking?',
  confirmCancel: (ref: string, when: string) => `Cancel booking ${ref} (${when})?`,
  cancelled: (ref: string) => `Booking ${ref} is cancelled.`,
  keepIt: 'Keep it',
  yesCancel: 'Yes, cancel',
  askNewEnd: (ref: string, until: string) => `Booking ${ref} ends ${until}. Until when should I extend it?`,
  confirmExtend: (ref: string, until: string, extra: string) =>
    `Extend ${ref} until ${until} for ${extra} more?`,
  extended: (ref: string, until: string) => `Booking ${ref} now ends ${until}.`,
  extendRef: (ref: string) => `Extend ${ref}`,
  cancelRef: (ref: string) => `Cancel ${ref}`,
  yesExtend: 'Yes, extend',
  kept: 'OK, nothing changed.',

  // data and people
  confirmDelete:
    'This erases your name, contact details, plates and our conversations, and cancels your upcoming bookings. Past bookings stay, anonymised. Delete everything?',
  deleted: 'Done. Your personal data has been erased. If you write again, we start fresh.',
  yesDelete: 'Yes, delete my data',
  noKeep: 'No, keep it',
  handoff: "I've asked a person to join this conversation. They'll reply here as soon as they can.",
  talkToPerson: 'Talk to a person',
  showHelp: 'What can you do?',
  pay: 'Payment happens at the car park for now; online payment links are coming soon.',

  // conversation patterns: leaving, switching, what the bot can't do
  stoppedNothingChanged: "OK, I've stopped. Nothing changed. What else can I do for you?",
  leftBooking: "OK, I've left the booking we were making (nothing was booked).",
  cannotHandle: "Sorry, I can't help with that.",
  whatICanDo: 'I can find and book parking, and show, extend or cancel your bookings.',
  goodbyeMidFlow: "OK, I've stopped — nothing was booked. Bye! Drive safely.",

  // direct answers
  rightNow: 'right now',
  freeCount: (n: number) => `${n} free`,
  oneFacility: (name: string, free: number, total: number, price: string) =>
    `${name}: ${free} of ${total} spaces free now, ${price}.`,
  spaceWhich: (n: string) =>
    `Which car park is space ${n} in? Tell me its name, for example "is space ${n} free at Paddington".`,
  spaceMissing: (n: string, name: string) => `${name} has no space numbered ${n}.`,
  spaceIs: (code: string, name: string, state: string, when: string) =>
    `Space ${code} at ${name} is ${state} ${when}.`,
  spacesAre: (n: string, name: string, when: string) => `${name} has more than one space ${n}; ${when}:`,
  spaceStates: { free: 'free', booked: 'taken (booked)', occupied: 'taken (a car is parked in it)' },
  freeAt: (name: string, free: number, total: number, when: string) =>
    `${name} has ${free} of ${total} spaces free ${when}.`,
  freeKindAt: (name: string, free: number, total: number, kind: string, when: string) =>
    free
      ? `${name} has ${free} ${kind} ${free === 1 ? 'space' : 'spaces'} free ${when} (of ${total}).`
      : `${name} has no ${kind} spaces free ${when} (it has ${total}).`,
  noKindThere: (name: string, kind: string) => `${name} has no ${kind} spaces.`,
  byKind: (parts: string) => `By kind: ${parts}.`,
  freeList: (kind: string, when: string) => `Free ${kind ? `${kind} ` : ''}spaces ${when}:`,
  stayPrice: (duration: string, name: string, when: string, total: string, kind?: string) =>
    `${duration}${kind ? ` in ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} space` : ''} at ${name}, ${when}: ${total}.`,
  normalDemand: (rate: string, hours: string) =>
    `That's ${rate}/h × ${hours} at normal demand (no surcharge).`,
  busyDemand: (rate: string, hours: string, x: string, pct: number) =>
    `That's ${rate}/h × ${hours} × ${x} for demand: ${pct}% of comparable spaces are taken then.`,
  pricesFor: (duration: string) => `${duration} costs, at normal demand:`,
  askStayForPrice:
    'For an exact price tell me where and for how long, e.g. "3 hours at Southbank tomorrow". Busy times cost more (up to 3×).',
  openingHours: (name: string, hours: string) => `${name} is open ${hours}.`,
  openOnDay: (name: string, day: string, hours: string) =>
    hours === 'closed' ? `${name} is closed on ${day}.` : `${name} on ${day}: ${hours}.`,
  maxStay: (name: string, max: string) => `${name} allows at most ${max}.`,
  everyDay: 'every day',
  closedText: 'closed',
  open24: 'open 24 hours',
  unknownPlace: (place: string) => `I don't know a car park at ${place}.`,
  nearestTo: (place: string) => `The nearest car parks I know to ${place}:`,
  knownCarParks: 'These are the car parks I know:',
  passed: (asked: string, now: string) => `${upperFirst(asked)} has already passed — it's ${now} now.`,
  proposeInstead: 'Shall I book one of these instead, or tell me another time?',
  fromNow: (window: string) => `From now: ${window}`,
  closedThen: (name: string, hours: string) =>
    `${name} is closed for part of that time (open ${hours} that day).`,

  // words
  weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  kinds: {
    standard: 'standard',
    ev: 'EV charging',
    accessible: 'accessible',
    motorcycle: 'motorcycle',
    family: 'family',
    oversize: 'oversize',
  } as Record<string, string>,
  /** A kind's word beside a count of spaces (Spanish adjectives agree in number). */
  kindWord(kind: string, _count: number): string {
    return this.kinds[kind] ?? kind;
  },
  statuses: {
    held: 'held',
    confirmed: 'confirmed',
    active: 'in progress',
    completed: 'completed',
    cancelled: 'cancelled',
    expired: 'expired',
  } as Record<string, string>,
  yes: 'Yes',
  no: 'No',
  hours: (h: number) => (h === 1 ? '1 hour' : `${h} hours`),
  minutes: (m: number) => `${m} min`,
};

export type Messages = typeof en;
