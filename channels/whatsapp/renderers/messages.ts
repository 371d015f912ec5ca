/** The message objects of the Cloud API's `POST /{phone-number-id}/messages` (without `to`). */
export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: Template };

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type Interactive =
  | {
      type: 'button';
      body: { text: string };
      action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> };
    }
  | {
      type: 'list';
      body: { text: string };
      action: { button: string; sections: Array<{ title?: string; rows: ListRow[] }> };
    }
  | {
      type: 'cta_url';
      body: { text: string };
      action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
    }
  | { type: 'location_request_message'; body: { text: string }; action: { name: 'send_location' } };

export interface Template {
  name: string;
  language: { code: string };
  components?: Array<{ type: 'body'; parameters: Array<{ type: 'text'; text: string }> }>;
}
