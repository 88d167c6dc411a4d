import { useEffect, useState } from 'react';
import type { Info } from '../../../src/contracts/chat.ts';
import type { CustomerSession } from '../../../src/contracts/customer-session.ts';
import { Composer } from './Composer.tsx';
import { Header } from './Header.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { LeaveEmail } from './LeaveEmail.tsx';
import { useChatApi, useConversation, useHistory } from './conversation.ts';
import { Transcript } from './Transcript.tsx';

const embedded = new URLSearchParams(location.search).has('embed');

export function App() {
  const api = useChatApi();
  const conversation = useConversation(api, embedded ? 'widget' : 'web');
  const history = useHistory(api, conversation.status);
  const [info, setInfo] = useState<Info>();
  const [session, setSession] = useState<CustomerSession>();
  const [showHistory, setShowHistory] = useState(false);
  const [input, setInput] = useState('');

  useEffect(() => {
    api.info().then(setInfo, () => setInfo(undefined));
    void api.session.then(setSession);
  }, [api]);

  const send = (text: string) => {
    if (conversation.send(text)) setInput('');
  };
  const handoff = async () => {
    if ((await conversation.handoff()) === 'asked') setInput('');
  };
  const open = async (id: string) => {
    setShowHistory(false);
    await conversation.open(id);
  };

  return (
    <div className={`chat ${embedded ? 'embedded' : ''}`}>
      <Header
        info={info}
        session={session}
        onToggleHistory={() => setShowHistory((v) => !v)}
        onNewChat={conversation.startNew}
      />
      {showHistory && <HistoryPanel history={history} onOpen={(id) => void open(id)} />}
      <Transcript
        api={api}
        messages={conversation.messages}
        greeting={info?.greeting}
        waiting={conversation.status === 'submitted'}
        failed={Boolean(conversation.error)}
        notice={conversation.notice}
      />
      <LeaveEmail api={api} messages={conversation.messages} busy={conversation.busy} />
      <Composer
        value={input}
        onChange={setInput}
        onSend={() => send(input)}
        onHandoff={() => void handoff()}
        busy={conversation.busy}
      />
    </div>
  );
}
