/** A payment the driver disputes: charged twice, too much, a refund that never came. */
const DISPUTE =
  /\b(charged|billed|took|taken|paid)\b[^.?!]{0,30}\b(twice|two times)\b|\b(charged|billed)\s+(me\s+)?(double|too much|the wrong|wrong)|\bdouble[- ]?(charged|billed|charge)|\bover-?charged|\bwrong amount|\bchargeback|\bdispute|\bunauthori[sz]ed\s+(charge|payment)|\b(where|what happened to|still waiting for|never got|didn'?t get|not received)\s+(is\s+)?(my\s+)?(refund|money)|\b(want|need|give me)\s+(my\s+)?(money back|a refund)|\brefund my|\bpaid but|\bcharged but|cobrad[oa]s?\s+(dos veces|de m[aá]s|doble)|\bcobrad[oa]\s+y\s+no\b|\bcobraron\s+(dos veces|de m[aá]s)|\bcobro\s+(doble|duplicado|indebido)|\bd[oó]nde est[aá]\s+(mi\s+)?(reembolso|devoluci[oó]n)|\b(quiero|necesito)\s+(que me devuelvan|mi dinero|un reembolso|la devoluci[oó]n)|\breclamaci[oó]n|\bpagu[eé]\s+pero/i;

/** Whether a payment question is a dispute that needs a person rather than a Pay button. */
export const isPaymentDispute = (text: string): boolean => DISPUTE.test(text);
