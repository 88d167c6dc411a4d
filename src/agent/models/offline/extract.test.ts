import { describe, expect, it } from 'vitest';
import { extractAnswer } from './extract.ts';
import { type QuotedPassage } from './passage-units.ts';

const backups: QuotedPassage = {
  ref: 'S1',
  title: 'Storage guide',
  heading: 'Schedules',
  text:
    'A backup schedule creates backups of a volume at the times you choose. ' +
    'Backups of a volume are kept for the retention period of the schedule. ' +
    'The console lists every schedule of the account. ' +
    'You can run a backup of a volume at any time outside the schedule. ' +
    'Each backup of a volume is incremental after the first one. ' +
    'Backups of a volume can be copied to another region.',
};

// A section that answers "What happens when I rotate a root key?" on its own.
const rotatingKeys: QuotedPassage = {
  ref: 'S1',
  title: 'Key rotation',
  heading: 'Rotating keys',
  text: 'Rotating a root key creates a new version of the key material.',
};

describe('extractAnswer', () => {
  it("quotes every unit of the section that speaks to the question, in the document's order", () => {
    const answer = extractAnswer([backups], 'How are backups of a volume kept?', 'backups volume kept');
    for (const sentence of [
      'Backups of a volume are kept for the retention period of the schedule',
      'A backup schedule creates backups',
      'You can run a backup of a volume at any time',
      'Each backup of a volume is incremental',
      'Backups of a volume can be copied to another region',
    ])
      expect(answer).toContain(sentence);
    expect(answer).not.toContain('The console lists');
    expect(answer.indexOf('A backup schedule creates')).toBeLessThan(answer.indexOf('can be copied'));
  });

  it('quotes a sentence once when it is also the context of the sentence after it', () => {
    const rotation: QuotedPassage = {
      ref: 'S1',
      title: 'Keys',
      heading: 'Overview',
      text:
        'Rotating a root key creates a new version of the root key. ' +
        'Old versions of the key stay in the key ring. ' +
        'This rotation of the root key is logged.',
    };
    const answer = extractAnswer([rotation], 'What happens when I rotate a root key?', 'rotate root key');
    expect(answer.match(/Old versions of the key/g)).toHaveLength(1);
    expect(answer).toContain('This rotation of the root key is logged [S1].');
  });

  it("continues a short answer from the same document's other section, never from another document", () => {
    const passages: QuotedPassage[] = [
      rotatingKeys,
      {
        ref: 'S2',
        title: 'Key rotation',
        heading: 'Rotation schedules',
        text: 'A rotation policy rotates the root key every month.',
      },
      {
        ref: 'S3',
        title: 'Billing',
        heading: 'Invoices',
        text: 'Key rotation requests are not billed.',
      },
    ];
    const answer = extractAnswer(passages, 'What happens when I rotate a root key?', 'rotate root key');
    expect(answer).toMatch(/^Rotating a root key creates a new version of the key material \[S1\]\./);
    expect(answer).toContain('\n\nA rotation policy rotates the root key every month [S2].');
    expect(answer).not.toContain('not billed');
  });

  describe('first and last lines', () => {
    const guide: QuotedPassage = {
      ref: 'S1',
      title: 'Aura 700 User Guide',
      text:
        'The Aura 700 is our over-ear headphone with noise cancelling. ' +
        'It also applies to the Aura 700 Refurbished, the same hardware with a 12-month warranty instead of 24 months.',
    };

    it('never opens with a sentence leaning on the one before ("It also ...")', () => {
      const answer = extractAnswer(
        [guide],
        'What about the Aura 700 Refurbished warranty?',
        'aura 700 warranty',
      );
      expect(answer).toMatch(/^The Aura 700 is our over-ear headphone/);
      expect(answer.indexOf('over-ear headphone')).toBeLessThan(answer.indexOf('It also applies'));
    });

    it("lets a direct answer lead the place of a sentence that can't open one", () => {
      const specs: QuotedPassage = {
        ref: 'S2',
        title: 'Aura 700 User Guide',
        heading: 'Specifications',
        text: '| Spec | Value |\n| --- | --- |\n| Weight | 254 g |\n| Warranty | 24 months (refurbished: 12 months) |',
      };
      const answer = extractAnswer(
        [guide, specs],
        "What's the warranty on the Aura 700?",
        'aura 700 warranty',
      );
      expect(answer).toMatch(/^- Warranty — 24 months \(refurbished: 12 months\) \[S2\]/);
      expect(answer).not.toMatch(/^It /);
    });

    it("does not continue with another section's sentence whose subject is a pronoun", () => {
      const passages: QuotedPassage[] = [
        rotatingKeys,
        {
          ref: 'S2',
          title: 'Key rotation',
          heading: 'Rotation schedules',
          text: 'A policy sets a schedule for the account. It rotates the root key every month.',
        },
      ];
      const answer = extractAnswer(passages, 'What happens when I rotate a root key?', 'rotate root key');
      expect(answer).toContain('Rotating a root key creates a new version');
      expect(answer).not.toContain('It rotates');
    });

    const policy = (ref: string, heading: string, text: string): QuotedPassage => ({
      ref,
      title: 'Shipping and delivery',
      heading,
      text,
    });

    it("does not continue with another section's lines that name nothing the question names", () => {
      const passages = [
        policy('S1', 'Where we ship', 'We ship to the United States and Canada.'),
        policy('S2', 'Late parcels', 'Late: if tracking has not updated for 5 business days, contact us.'),
        policy(
          'S3',
          'Canada',
          'Duties and import taxes for Canada are included in the shipping price at checkout.',
        ),
      ];
      const answer = extractAnswer(passages, 'Where do you ship?', 'ship');
      expect(answer).toMatch(/^We ship to the United States and Canada \[S1\]\./);
      expect(answer).not.toContain('Late:');
      expect(answer).toContain('Duties and import taxes');
    });

    it('stops at the section that answers a yes/no question "no"', () => {
      const passages = [
        policy(
          'S1',
          'Where we ship',
          'We ship to the United States and Canada. We do not ship elsewhere yet.',
        ),
        policy('S2', 'Lost parcels', 'Lost: we send a replacement by the same shipping method.'),
      ];
      const answer = extractAnswer(passages, 'Do you ship to Australia?', 'ship australia');
      expect(answer).toContain('We do not ship elsewhere yet [S1].');
      expect(answer).not.toContain('Lost:');
    });
  });

  it('leaves out code, image captions, bare list labels and sentences pointing at what the answer does not show', () => {
    const podfile: QuotedPassage = {
      ref: 'S1',
      title: 'Mobile SDK',
      heading: 'Installing the mobile SDK with CocoaPods',
      text:
        'The mobile SDK is published through CocoaPods.\n\n' +
        "target 'MyApp' do\npod 'OpenWhisk', :git => 'https://github.com/apache/openwhisk-client-swift.git'\nend\n\n" +
        'Put the following lines into the Podfile of the mobile SDK project.\n\n' +
        'Diagram of how the mobile SDK is installed by CocoaPods.\n\n' +
        'The mobile SDK comes in two editions:\n- Mobile\n- Watch SDK\n\n' +
        'Run pod install to install the mobile SDK.',
    };
    const answer = extractAnswer([podfile], 'How is the mobile SDK installed with CocoaPods?', 'mobile sdk');
    expect(answer).toContain('The mobile SDK is published through CocoaPods [S1].');
    expect(answer).toContain('Run pod install to install the mobile SDK [S1].');
    for (const left of ['=>', 'the following lines', 'Diagram of', '- Watch SDK'])
      expect(answer).not.toContain(left);

    const asked = extractAnswer([podfile], 'Show me the code to install the mobile SDK', 'mobile sdk code');
    expect(asked).toContain("pod 'OpenWhisk'");
  });

  it('names a runner-up whose title is a file name by its heading, or by its opening words', () => {
    const passages: QuotedPassage[] = [
      { ref: 'S1', title: 'Firewall rules', heading: '', text: 'Firewall rules block or allow requests.' },
      {
        ref: 'S2',
        title: 'Ibmcld 03373 4327 6061',
        heading: 'Rule limits',
        text: 'Firewall rules are limited by plan.',
      },
      { ref: 'S3', title: 'Ibmcld 11282 0 1290', heading: '', text: 'Firewall rules can log requests.' },
    ];
    const answer = extractAnswer(passages, 'What do firewall rules do?', 'firewall rules');
    expect(answer).toContain('See also: Rule limits [S2]; "Firewall rules can log requests." [S3].');
    expect(answer).not.toContain('Ibmcld');
  });

  it('answers from a section whose heading asks the question, though another section ranks first', () => {
    const passages: QuotedPassage[] = [
      {
        ref: 'S1',
        title: 'Returns policy',
        heading: 'Faulty products',
        text:
          'If a product is faulty within the return window, you can choose a refund or an exchange. ' +
          'After the return window, faults are handled under the warranty.',
      },
      {
        ref: 'S2',
        title: 'Frequently asked questions',
        heading: 'Orders > What is your return policy?',
        text: '30 days from delivery, free return label, refund within 5 business days.',
      },
    ];
    const answer = extractAnswer(passages, 'How do I return something?', 'return something');
    expect(answer).toMatch(/^30 days from delivery, free return label/);
    expect(answer).toContain('See also: Returns policy — Faulty products [S1]');
  });

  it('quotes the phone number for "can I call you?", not what the passages say about calls', () => {
    const passages: QuotedPassage[] = [
      {
        ref: 'S1',
        title: 'Calls',
        heading: 'Call quality',
        text: 'If others cannot hear you during a call, clean the microphone openings before the call.',
      },
      {
        ref: 'S2',
        title: 'FAQ',
        heading: 'How do I contact support?',
        text: 'Our team answers by chat, by email or by phone on +1-800-555-0142, Monday to Friday.',
      },
    ];
    const answer = extractAnswer(passages, 'Can I call you?', 'call you');
    expect(answer).toMatch(/^Our team answers by chat, by email or by phone on \+1-800-555-0142/);
  });

  it('quotes a short line giving the email address asked for', () => {
    const contact: QuotedPassage = {
      ref: 'S1',
      title: 'Warranty',
      heading: 'Contact',
      text:
        'Warranty Services, 410 Harbor Row, Portland, USA. Email support@kestrel.example. ' +
        'Please do not send products to this address; use the label provided with your claim.',
    };
    const answer = extractAnswer([contact], 'What is your email address?', 'email address');
    expect(answer).toMatch(/^Email support@kestrel\.example \[S1\]\./);
  });

  describe('tables', () => {
    const specs: QuotedPassage = {
      ref: 'S1',
      title: 'Aura 700 User Guide',
      heading: 'Specifications',
      text:
        'The Aura 700 is an over-ear headphone.\n\n' +
        '| Item | Value |\n| --- | --- |\n| Drivers | 40 mm dynamic |\n| Weight | 254 g |\n' +
        '| Warranty | 24 months (refurbished: 12 months) |\n| Price | $279.99 |',
    };
    const speakers: QuotedPassage = {
      ref: 'S1',
      title: 'Gust speakers guide',
      heading: 'Which speaker do I have?',
      text:
        '| | Gust | Gust Max |\n| --- | --- | --- |\n| Weight | 540 g | 1.45 kg |\n' +
        '| Battery life | up to 16 hours | up to 24 hours |\n| Floats | Yes | No |',
    };

    it("answers a question about one attribute with that attribute's row, and stops", () => {
      const answer = extractAnswer([specs], "What's the warranty on the Aura 700?", 'warranty aura 700');
      expect(answer).toBe('- Warranty — 24 months (refurbished: 12 months) [S1]');
      expect(extractAnswer([speakers], 'What is the weight of the Gust Max?', 'weight gust max')).toBe(
        '- Weight — Gust: 540 g; Gust Max: 1.45 kg [S1]',
      );
    });

    it('keeps the whole table when the question asks for it', () => {
      const answer = extractAnswer([specs], 'What are the specs of the Aura 700?', 'specs aura 700');
      for (const row of ['Drivers — 40 mm dynamic', 'Weight — 254 g', 'Price — $279.99']) {
        expect(answer).toContain(row);
      }
      const compared = extractAnswer([speakers], 'Compare the Gust and the Gust Max', 'compare gust max');
      expect(compared).toContain('Floats — Gust: Yes; Gust Max: No');
      expect(compared).toContain('Weight — Gust: 540 g');
    });

    it('tells the products of one family apart by their model number', () => {
      const ratings: QuotedPassage = {
        ref: 'S1',
        title: 'FAQ',
        heading: 'Are your products waterproof?',
        text:
          '| Product | Rating |\n| --- | --- |\n| Flit Sport | IP57 |\n| Flit 2 and Flit Lite | IPX4 |\n' +
          '| Gust speakers | IP67 |',
      };
      expect(extractAnswer([ratings], 'Is the Flit 2 waterproof?', 'flit 2 waterproof')).toBe(
        '- Flit 2 and Flit Lite — IPX4 [S1]',
      );
    });

    it('keeps every row that answers as well as the best one', () => {
      const warranties: QuotedPassage = {
        ref: 'S1',
        title: 'Warranty',
        heading: 'Warranty terms',
        text:
          '| Product | Warranty |\n| --- | --- |\n| Flit 2 earbuds | 24 months |\n' +
          '| Flit Lite earbuds | 12 months |\n| Perch hub | 24 months |',
      };
      const answer = extractAnswer(
        [warranties],
        'How long is the warranty on Flit earbuds?',
        'warranty flit',
      );
      expect(answer).toContain('Flit 2 earbuds — 24 months');
      expect(answer).toContain('Flit Lite earbuds — 12 months');
      expect(answer).not.toContain('Perch hub');
    });
  });
});
