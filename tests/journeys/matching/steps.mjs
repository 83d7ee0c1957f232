// Steps the matching journeys share, in the members' words.
import { joins } from '../harness/mitche.mjs';
import { offersToAnyone } from '../help/steps.mjs';

/** What a volunteer driver writes on their profile (skills and bio in French). */
export const DRIVER = {
  languages: ['fr'],
  skills: ['conduite', 'voiture'],
  bio: "Je conduis les personnes malades à leurs rendez-vous à l'hôpital.",
};

/** `name` joins as a volunteer driver and offers lifts to hospital to anyone who needs one
 * (a standing offer, remote help accepted); resolves to the member. */
export async function joinsAsDriver(name) {
  const driver = await joins(name, { profile: DRIVER });
  await offersToAnyone(driver, {
    title: "Trajets vers l'hôpital",
    description: 'Je vous conduis à vos consultations et je vous ramène.',
  });
  return driver;
}
