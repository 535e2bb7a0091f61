// Font Awesome (free solid) icons for products and inventory templates. The API stores the seed's class string
// ("fa-solid fa-sim-card"); the picker offers a curated set that suits an operator's catalogue, rendered as
// inline SVG from @fortawesome/free-solid-svg-icons (only these icons end up in the bundle).
import {
  faArrowsRotate, faBatteryFull, faBolt, faBook, faBox, faBoxesStacked, faBriefcase, faBuilding, faBus,
  faCalendarDays, faCamera, faCar, faCartShopping, faChartLine, faChildReaching, faCirclePlus, faCity, faClock,
  faCloud, faCoins, faComment, faComments, faCreditCard, faCrown, faCube, faDatabase, faDisplay, faDownload,
  faEarthAmericas, faEarthEurope, faEarthOceania, faEthernet, faFilm, faFire, faGamepad, faGaugeHigh,
  faGift, faGlobe, faGraduationCap, faHandshake, faHardDrive, faHeadset, faHeart, faHourglassHalf, faHouse,
  faHouseSignal, faInfinity, faKey, faLaptop, faLeaf, faLock, faMessage, faMicrochip, faMobile, faMobileScreen,
  faMobileScreenButton, faMoneyBill, faMoneyBillWave, faMusic, faNetworkWired, faPeopleRoof, faPercent,
  faPersonWalkingWithCane, faPhone, faPhoneVolume, faPiggyBank, faPlane, faPlug, faPlus, faReceipt, faRocket,
  faSatellite, faSatelliteDish, faServer, faShieldHalved, faSignal, faSimCard, faStar, faTabletScreenButton, faTag,
  faTags, faTicket, faTowerBroadcast, faTowerCell, faTruck, faTv, faUpload, faUser, faUsers, faUserTie, faVideo,
  faVoicemail, faWallet, faWaveSquare, faWifi,
} from "@fortawesome/free-solid-svg-icons";
import { Box } from "@mui/material";

interface IconDefinition {
  iconName: string;
  icon: [number, number, (string | number)[], string, string | string[]];
}

/** In picker order: connectivity first, then devices, money, offers and the rest. */
const CURATED: IconDefinition[] = [
  faSimCard, faMobile, faMobileScreen, faMobileScreenButton, faPhone, faPhoneVolume, faVoicemail, faMessage,
  faComment, faComments, faWifi, faSignal, faTowerCell, faTowerBroadcast, faSatelliteDish, faSatellite, faGlobe,
  faEarthAmericas, faEarthEurope, faEarthOceania, faPlane, faHouse, faHouseSignal, faBuilding, faCity,
  faNetworkWired, faEthernet, faServer, faCloud, faDatabase, faHardDrive, faMicrochip, faPlug, faLaptop,
  faTabletScreenButton, faDisplay, faTv, faHeadset, faVideo, faCamera, faMusic, faFilm, faGamepad, faBook,
  faCoins, faMoneyBill, faMoneyBillWave, faCreditCard, faWallet, faPiggyBank, faReceipt, faTag, faTags, faPercent,
  faGift, faTicket, faCartShopping, faBox, faBoxesStacked, faCube, faPlus, faCirclePlus, faBolt, faRocket,
  faGaugeHigh, faInfinity, faWaveSquare, faChartLine, faBatteryFull, faDownload, faUpload, faArrowsRotate,
  faStar, faCrown, faHeart, faFire, faLeaf, faShieldHalved, faLock, faKey, faUser, faUsers, faUserTie,
  faPersonWalkingWithCane, faChildReaching, faPeopleRoof, faBriefcase, faGraduationCap, faHandshake, faCalendarDays,
  faClock, faHourglassHalf, faCar, faBus, faTruck,
] as unknown as IconDefinition[];

/** The names the picker offers, e.g. "sim-card". */
export const ICON_NAMES: readonly string[] = CURATED.map((definition) => definition.iconName);

// Older Font Awesome names (e.g. "mobile-alt" from 5.x) resolve through the aliases each icon carries.
const BY_NAME = new Map<string, IconDefinition>();
for (const definition of CURATED) {
  BY_NAME.set(definition.iconName, definition);
  for (const alias of definition.icon[2]) if (typeof alias === "string" && !BY_NAME.has(alias)) BY_NAME.set(alias, definition);
}

const STYLE_PREFIXES = new Set(["fa", "fas", "far", "fal", "fad", "fab", "fa-solid", "fa-regular", "fa-light", "fa-brands", "fa-duotone"]);

/** "fa-solid fa-sim-card", "fas fa-sim-card" or "sim-card" → "sim-card"; null when there is no icon name. */
export function iconNameOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const parts = value.trim().toLowerCase().split(/\s+/).filter((part) => !STYLE_PREFIXES.has(part) && !/^fa-(fw|lg|xs|sm|\dx)$/.test(part));
  const name = parts.find((part) => part.startsWith("fa-"))?.slice(3) ?? parts[0];
  return name || null;
}

/** The class string stored on a product or template for a picked icon. */
export function iconClass(name: string): string {
  return `fa-solid fa-${name}`;
}

export function isKnownIcon(value: string | null | undefined): boolean {
  const name = iconNameOf(value);
  return name !== null && BY_NAME.has(name);
}

/** A product or template icon; unknown names (e.g. Pro-only icons) show a plain box so rows stay aligned. */
export function FaIcon({ value, size = 20, title }: { value: string | null | undefined; size?: number; title?: string }) {
  const name = iconNameOf(value);
  const definition = (name && BY_NAME.get(name)) || faBox;
  const [width, height, , , path] = (definition as unknown as IconDefinition).icon;
  return (
    <Box
      component="svg"
      viewBox={`0 0 ${width} ${height}`}
      sx={{ width: size, height: size, fill: "currentColor", flexShrink: 0, verticalAlign: "middle" }}
      role={title ? "img" : undefined}
      aria-label={title}
      aria-hidden={title ? undefined : true}
      focusable="false"
    >
      {(Array.isArray(path) ? path : [path]).map((d) => (
        <path key={d.slice(0, 24)} d={d} />
      ))}
    </Box>
  );
}
