import { describe, expect, it } from 'vitest';
import { looksLikePii, PiiScrubber } from './pii.ts';

describe('PII scrubbing', () => {
  it('replaces emails, phone numbers, order and tracking numbers with numbered placeholders', () => {
    const s = new PiiScrubber();
    expect(
      s.scrub(
        'Email maya.okonkwo@example.com or call +1-312-555-0148 about order KE-100118, ' +
          'tracking 1ZK7E4190312845521.',
      ),
    ).toBe('Email [EMAIL_1] or call [PHONE_1] about order [ORDER_1], tracking [TRACKING_1].');
  });

  it('recognises the carriers’ formats in the example orders, and general ones', () => {
    const s = new PiiScrubber();
    const text = [
      'USPS 9400111899562847315520',
      'Royal Mail KE204518873GB',
      'DHL JVGL0618452209371144',
      'DHL Express tracking 4817293056',
      'FedEx 771234567890',
    ].join('; ');
    expect(s.scrub(text)).toBe(
      // Ten-digit waybills are told from phone numbers by the words before them, in a later pass.
      'USPS [TRACKING_1]; Royal Mail [TRACKING_2]; DHL [TRACKING_3]; DHL Express tracking [TRACKING_5]; FedEx [TRACKING_4]',
    );
  });

  it('finds order numbers by their wording too', () => {
    const s = new PiiScrubber();
    expect(s.scrub('My order #58213 and order number AB-2024-0042 are late')).toBe(
      'My order #[ORDER_1] and order number [ORDER_2] are late',
    );
    // A year, a status or a quantity after "order" is not an order number.
    expect(s.scrub('I placed the order in 2024; order status is shipped')).toBe(
      'I placed the order in 2024; order status is shipped',
    );
  });

  it('gives the same value the same placeholder, however it is written', () => {
    const s = new PiiScrubber();
    expect(s.scrub('Call (312) 555-0148 or 312.555.0148; write to A@B.com or a@b.com')).toBe(
      'Call [PHONE_1] or [PHONE_1]; write to [EMAIL_1] or [EMAIL_1]',
    );
  });

  it('replaces the customer’s names, full or in part, with one placeholder per person', () => {
    const s = new PiiScrubber(['Maya Okonkwo', 'Daniel Reyes']);
    expect(s.scrub('Hi Maya! Maya Okonkwo asked Daniel; OKONKWO is on file. Mayan art is not a name.')).toBe(
      'Hi [NAME_1]! [NAME_1] asked [NAME_2]; [NAME_1] is on file. Mayan art is not a name.',
    );
  });

  it('leaves dates, times, prices, versions and product codes alone', () => {
    const s = new PiiScrubber();
    const text =
      'Delivered 2025-06-19 at 15:31; it cost $129.99; firmware 2.4.1; SKU KE-EB-FLIT2; 30 days; 5 V / 2 A.';
    expect(s.scrub(text)).toBe(text);
    expect(looksLikePii(text)).toBe(false);
    expect(looksLikePii('reach me at 020 7946 0958')).toBe(true);
  });

  it('scrubs tool inputs and outputs, replacing street addresses whole', () => {
    const s = new PiiScrubber(['Maya Okonkwo']);
    const output = {
      order: { id: 'KE-100118', tracking: '1ZK7E4190312845521', items: [{ sku: 'KE-HP-A700', quantity: 1 }] },
      shippingAddress: { line1: '2217 N Kedzie Blvd, Apt 3', city: 'Chicago', postalCode: '60647' },
      profile: { name: 'Maya Okonkwo', email: 'maya.okonkwo@example.com' },
    };
    expect(s.scrubValue(output)).toEqual({
      order: { id: '[ORDER_1]', tracking: '[TRACKING_1]', items: [{ sku: 'KE-HP-A700', quantity: 1 }] },
      shippingAddress: { line1: '[ADDRESS_1]', city: 'Chicago', postalCode: '[ADDRESS_2]' },
      profile: { name: '[NAME_1]', email: '[EMAIL_1]' },
    });
    // The same scrubber keeps its numbering for the rest of the pair.
    expect(s.scrub('Your order KE-100118 is on its way, Maya.')).toBe(
      'Your order [ORDER_1] is on its way, [NAME_1].',
    );
    expect(s.replaced()).toMatchObject({ ORDER: 1, TRACKING: 1, NAME: 1, EMAIL: 1, ADDRESS: 2 });
  });
});
