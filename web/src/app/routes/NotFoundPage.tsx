import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There's nothing at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}
