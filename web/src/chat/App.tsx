import { useEffect, useState } from 'react';
import type { Info } from '../../../src/contracts/chat.ts';
import { Composer } from './Composer.tsx';
import { Header } from './Header.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { useChatApi, useConversation, useHistory } from './conversation.ts';
import { Transcript } from './Transcript.tsx';

const embedded = new URLSearchParams(location.search).has('embed');

export function App() {
  const api = useChatApi();
  const conversation = useConversation(api, embedded ? 'widget' : 'web');
  const history = useHistory(api, conversation.status);
  const [info, setInfo] = useState<Info>();
  const [showHistory, setShowHistory] = useState(false);
  const [input, setInput] = useState('');

  useEffect(() => {
    api.info().then(setInfo, () => setInfo(undefined));
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
