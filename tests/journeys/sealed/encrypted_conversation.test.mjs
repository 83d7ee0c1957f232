// Journey: uma and vic talk about something sensitive. Each publishes a device key; uma opens a
// sensitive (end-to-end encrypted) conversation and seals her message for both of them with
// @mitche/client's e2e module; vic opens it on his device. What the backend stores holds no
// plaintext: neither the message nor the inbox preview. Hostile twins: plain text in the
// sensitive conversation, a sealed message in an ordinary one, a key published for someone
// else, a published key replaced.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, updateDoc } from 'firebase/firestore';
import {
  conversations,
  generateDeviceKey,
  messages,
  newestPublicKey,
  openText,
  publishDeviceKey,
  sealText,
  sendMessage,
  startConversation,
} from '@mitche/client';

import { closeAll, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';

after(closeAll);

const SECRET = 'The shelter on rue Garibaldi has a bed for me tonight, door code 4512.';

async function withDevice(name) {
  const member = await joins(name);
  member.device = await generateDeviceKey(`${name}-phone`);
  await publishDeviceKey(member.db, member.uid, member.device, 'phone');
  return member;
}

async function sealFor(sender, conversationId, members) {
  const keys = {};
  for (const member of members) keys[member.uid] = await newestPublicKey(sender.db, member.uid);
  return sealText(SECRET, { conversationId, senderId: sender.uid }, keys);
}

test('uma seals a message in a sensitive dm; vic opens it; the backend stores no plaintext', async () => {
  const uma = await withDevice('uma');
  const vic = await withDevice('vic');
  const { conversationId } = await startConversation(uma.client, {
    conversationType: 'dm',
    participantIds: [uma.uid, vic.uid],
    sensitive: true,
  });
  const sealed = await sealFor(uma, conversationId, [uma, vic]);
  const { messageId } = await sendMessage(uma.client, {
    conversationId,
    participantIds: [uma.uid, vic.uid],
    messageType: 'sealed',
    sealed,
  });
  await settled();

  const stored = await until(
    messages.doc(vic.db, messageId),
    (snapshot) => snapshot.exists() && snapshot.data().moderation?.status === 'approved',
    { what: 'vic can read the sealed message' },
  );
  const text = await openText(
    stored.data().sealed,
    { conversationId, senderId: uma.uid },
    vic.uid,
    vic.device,
  );
  assert.equal(text, SECRET);
  assert.equal(
    await openText(stored.data().sealed, { conversationId, senderId: uma.uid }, uma.uid, uma.device),
    SECRET,
    'uma reads her own message on her device',
  );

  const everything = JSON.stringify(stored.data());
  for (const word of ['shelter', 'Garibaldi', '4512', 'bed']) {
    assert.ok(!everything.includes(word), `the stored message holds no "${word}"`);
  }
  const conversation = await until(
    conversations.doc(vic.db, conversationId),
    (snapshot) => snapshot.data()?.lastMessage?.messageId === messageId,
    { what: "vic's inbox shows the message" },
  );
  assert.equal(conversation.data().lastMessage.preview, '', 'the inbox preview shows no text');
  assert.equal(conversation.data().lastMessage.messageType, 'sealed');
});

test('a body moved to another conversation does not open', async () => {
  const wes = await withDevice('wes');
  const xia = await withDevice('xia');
  const sealed = await sealFor(wes, 'conversation-a', [wes, xia]);
  await assert.rejects(
    openText(sealed, { conversationId: 'conversation-b', senderId: wes.uid }, xia.uid, xia.device),
  );
});

test('hostile: plain text in a sensitive conversation is refused', async () => {
  const yan = await withDevice('yan');
  const zoe = await withDevice('zoe');
  const { conversationId } = await startConversation(yan.client, {
    conversationType: 'dm',
    participantIds: [yan.uid, zoe.uid],
    sensitive: true,
  });
  await settled();
  await refused(
    sendMessage(yan.client, {
      conversationId,
      participantIds: [yan.uid, zoe.uid],
      messageType: 'text',
      text: SECRET,
    }),
  );
});

test('hostile: a sealed message in an ordinary conversation is refused', async () => {
  const abe = await withDevice('abe');
  const bea = await withDevice('bea');
  const { conversationId } = await startConversation(abe.client, {
    conversationType: 'dm',
    participantIds: [abe.uid, bea.uid],
  });
  await settled();
  const sealed = await sealFor(abe, conversationId, [abe, bea]);
  await refused(
    sendMessage(abe.client, {
      conversationId,
      participantIds: [abe.uid, bea.uid],
      messageType: 'sealed',
      sealed,
    }),
  );
});

test('hostile: a key published for someone else, or a published key replaced', async () => {
  const cal = await withDevice('cal');
  const dee = await joins('dee');
  const forged = await generateDeviceKey('forged');
  await refused(publishDeviceKey(dee.db, cal.uid, forged));
  await refused(
    updateDoc(doc(dee.db, 'users', cal.uid, 'publicKeys', cal.device.keyId), {
      publicKey: forged.publicKey,
    }),
  );
  await refused(
    updateDoc(doc(cal.db, 'users', cal.uid, 'publicKeys', cal.device.keyId), {
      publicKey: forged.publicKey,
    }),
  );
  const published = await newestPublicKey(dee.db, cal.uid);
  assert.equal(published.publicKey, cal.device.publicKey, 'cal\'s key is the one he published');
});
