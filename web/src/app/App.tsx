import { RouterProvider } from "react-router/dom";
import { useState } from "react";
import { createAppRouter } from "./router";

/** The app: one data router; session and portfolio providers live in the route tree. */
export function App() {
  const [router] = useState(createAppRouter);
  return <RouterProvider router={router} />;
}
