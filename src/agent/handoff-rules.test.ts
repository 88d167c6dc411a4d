import { describe, expect, it } from 'vitest';
import {
  applyHandoffRule,
  defaultSafetyInstruction,
  type HandoffProfile,
  matchHandoffRule,
  withHandoffPrefix,
} from './handoff-rules.ts';

const reasonOf = (message: string, profile?: HandoffProfile) => matchHandoffRule(message, profile)?.reason;

describe('hand-off rules', () => {
  it('recognises safety issues, with the default safety instruction', () => {
    for (const message of [
      'My charger is smoking!',
      'There is smoke coming out of the hub',
      'I can smell burning from the speaker',
      'the case smells burnt',
      'My earbuds case caught fire last night',
      'I saw sparks when I plugged it in',
      'The battery is swollen and the back came off',
      'my power bank is bulging',
      'The charger gets really hot, too hot to touch',
      'the battery got very hot while charging',
      'My laptop keeps overheating',
      'the plastic around the plug melted',
      'I got an electric shock from the cable',
      'I spilled coffee on it while it was plugged in',
    ]) {
      const match = matchHandoffRule(message);
      expect(match?.reason, message).toBe('safety');
      expect(match?.instruction).toBe(defaultSafetyInstruction);
    }
  });

  it('does not mistake everyday words for safety issues', () => {
    for (const message of [
      'Is this a hot deal?',
      'Any hot deals on speakers this week?',
      'Does it work with my Fire TV stick?',
      'How do I connect my Amazon Fire tablet?',
      'My smoke alarm will not connect to the hub',
      'Can I set up a hotspot from the hub?',
      'How do I fire up the app?',
      'I got fired from my job, can I pause my subscription?',
      "What's hot in smart home gear this season?",
      'How do I run an Apache Spark job?',
      'My Spark plan renews next week',
      'It is hot outside, will the speaker be fine on the beach?',
    ])
      expect(reasonOf(message), message).toBeUndefined();
  });

  it('matches whole words, not substrings', () => {
    expect(reasonOf('The firewall blocks the hub')).toBeUndefined();
    expect(reasonOf('I was suing nobody; I want to pursue the return')).toBe('legal');
    expect(reasonOf('I want to pursue the return')).toBeUndefined();
    expect(reasonOf('Can you reissue the invoice?')).toBeUndefined();
  });

  it('recognises legal threats and privacy requests', () => {
    for (const message of [
      'I will talk to my lawyer about this',
      'My attorney will be in touch',
      "If you don't refund me I'll sue you",
      'I am going to take you to court',
      'I filed a chargeback with my bank',
    ])
      expect(reasonOf(message), message).toBe('legal');
    for (const message of [
      'Under GDPR I want a copy of my personal data',
      'Please delete all my data',
      'What data do you hold about me?',
    ])
      expect(reasonOf(message), message).toBe('privacy');
    expect(reasonOf('Sue from accounting asked about the invoice')).toBeUndefined();
    expect(reasonOf('How do I remove my data plan from the hub?')).toBeUndefined();
  });

  it('hands off when the customer asks for a person', () => {
    expect(matchHandoffRule('Can I talk to a human please?')).toEqual({ reason: 'requested' });
    expect(reasonOf('Let me speak to a real person')).toBe('requested');
  });

  it('puts safety before everything else', () => {
    expect(reasonOf('My charger caught fire, I want to speak to a person and my lawyer')).toBe('safety');
  });

  it("takes the company's own rules, instructions and exceptions", () => {
    const profile: HandoffProfile = {
      handoffRules: [
        { reason: 'fraud', terms: ['unauthorised charge|unauthorized charge', 'stolen ~ card'] },
        {
          reason: 'safety',
          terms: ['gas leak'],
          instruction: 'Leave the building now and call the gas company.',
        },
        { reason: 'safety', terms: [], except: ['fire starter'] },
      ],
    };
    expect(matchHandoffRule('There is an unauthorized charge on my account', profile)).toMatchObject({
      reason: 'fraud',
      term: 'unauthorised charge|unauthorized charge',
    });
    expect(matchHandoffRule('someone stole my card and my card was stolen', profile)?.reason).toBe('fraud');
    expect(matchHandoffRule('I think there is a gas leak near the boiler', profile)).toMatchObject({
      reason: 'safety',
      instruction: 'Leave the building now and call the gas company.',
    });
    // Built-in terms keep the default instruction; the company's exception silences one of them.
    expect(matchHandoffRule('sparks came out of the plug', profile)?.instruction).toBe(
      defaultSafetyInstruction,
    );
    expect(reasonOf('Is the Fire Starter kit in stock?', profile)).toBeUndefined();
    expect(reasonOf('Is the Fire Starter kit in stock?')).toBe('safety');
  });

  it('ignores malformed company rules instead of failing the turn', () => {
    const profile: HandoffProfile = {
      handoffRules: [{ reason: 'fraud', terms: 'stolen card' }, null, { reason: 'vip', terms: ['ceo'] }],
    };
    expect(reasonOf('my card was stolen', profile)).toBeUndefined();
    expect(reasonOf('I am the CEO', profile)).toBe('vip');
    expect(reasonOf('My charger is smoking', { handoffRules: 'nonsense' })).toBe('safety');
  });
});

describe('applying a hand-off rule', () => {
  it('says how to escalate, what to tell the model, and what the answer begins with', () => {
    const decision = applyHandoffRule('My battery is swollen');
    expect(decision).toMatchObject({ reason: 'safety', answerPrefix: `${defaultSafetyInstruction}\n\n` });
    expect(decision!.escalationReason).toMatch(/^Safety issue reported \(matched ".*swollen.*"\)$/);
    expect(decision!.promptNote).toMatch(/handed to the support team/);
    expect(applyHandoffRule('Can I talk to a human please?')).toMatchObject({
      reason: 'requested',
      escalationReason: 'Customer asked for a person',
      answerPrefix: '',
    });
    expect(applyHandoffRule('How do I pair my earbuds?')).toBeUndefined();
  });

  it('puts the instruction in front of the answer once', () => {
    const decision = applyHandoffRule('My charger is smoking');
    const answer = withHandoffPrefix('A specialist will contact you shortly.', decision);
    expect(answer).toBe(`${defaultSafetyInstruction}\n\nA specialist will contact you shortly.`);
    expect(withHandoffPrefix(answer, decision)).toBe(answer);
    expect(withHandoffPrefix('Hello', undefined)).toBe('Hello');
  });
});
